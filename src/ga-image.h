/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <gdk/gdk.h>

#include "ga-download.h"

G_BEGIN_DECLS

#define GA_IMAGE_MAX_DIMENSION 4096

typedef enum
{
  GA_IMAGE_FORMAT_UNKNOWN,
  GA_IMAGE_FORMAT_JPEG,
  GA_IMAGE_FORMAT_PNG,
  GA_IMAGE_FORMAT_WEBP,
  GA_IMAGE_FORMAT_GIF,
} GaImageFormat;

gboolean     ga_image_probe            (const guint8         *data,
                                        gsize                 length,
                                        GaImageFormat        *format,
                                        guint                *width,
                                        guint                *height,
                                        GError              **error);

GdkTexture  *ga_image_decode           (GBytes               *bytes,
                                        guint                 max_dimension,
                                        GError              **error);

GdkTexture  *ga_image_decode_thumbnail (GBytes               *bytes,
                                        guint                 size,
                                        GError              **error);

void         ga_image_decode_async     (GBytes               *bytes,
                                        GCancellable         *cancellable,
                                        GAsyncReadyCallback   callback,
                                        gpointer              user_data);
GdkTexture  *ga_image_decode_finish    (GAsyncResult         *result,
                                        GError              **error);

G_END_DECLS
