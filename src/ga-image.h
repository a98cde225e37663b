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

/**
 * ga_image_probe:
 * Reads only the header of @data: its format and pixel size. Pure and safe to fuzz.
 * Returns: %FALSE with %GA_ERROR_IMAGE_INVALID for data that is no image it knows
 */
gboolean     ga_image_probe            (const guint8         *data,
                                        gsize                 length,
                                        GaImageFormat        *format,
                                        guint                *width,
                                        guint                *height,
                                        GError              **error);

/**
 * ga_image_decode:
 * Decodes @bytes into a texture, refusing (%GA_ERROR_IMAGE_TOO_LARGE) images wider or taller
 * than @max_dimension before any pixel memory is allocated. Blocking: call it off the main
 * thread (ga_image_decode_async() does).
 */
GdkTexture  *ga_image_decode           (GBytes               *bytes,
                                        guint                 max_dimension,
                                        GError              **error);

void         ga_image_decode_async     (GBytes               *bytes,
                                        GCancellable         *cancellable,
                                        GAsyncReadyCallback   callback,
                                        gpointer              user_data);
GdkTexture  *ga_image_decode_finish    (GAsyncResult         *result,
                                        GError              **error);

G_END_DECLS
