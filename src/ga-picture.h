/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/*
 * A picture that is shown, and what people do with it: save it to a file, copy it, drag it
 * out of the window, open it in the image viewer. It keeps the bytes that came over the
 * network, so a saved file is exactly what WhatsApp serves; a picture that came from the
 * memory cache has no bytes any more and is saved as PNG.
 */

#define GA_TYPE_PICTURE (ga_picture_get_type ())

G_DECLARE_FINAL_TYPE (GaPicture, ga_picture, GA, PICTURE, GObject)

GaPicture          *ga_picture_new                  (const char           *chat_id,
                                                     GdkTexture           *texture,
                                                     GBytes               *bytes);
const char         *ga_picture_get_chat_id          (GaPicture            *self);
GdkTexture         *ga_picture_get_texture          (GaPicture            *self);
GBytes             *ga_picture_get_file_bytes       (GaPicture            *self);
const char         *ga_picture_get_extension        (GaPicture            *self);
char               *ga_picture_dup_file_name        (GaPicture            *self);

void                ga_picture_save_async           (GaPicture            *self,
                                                     GFile                *file,
                                                     GCancellable         *cancellable,
                                                     GAsyncReadyCallback   callback,
                                                     gpointer              user_data);
gboolean            ga_picture_save_finish          (GaPicture            *self,
                                                     GAsyncResult         *result,
                                                     GError              **error);

char               *ga_picture_get_temp_dir         (const char           *purpose);
GFile              *ga_picture_write_temp           (GaPicture            *self,
                                                     const char           *purpose,
                                                     GError              **error);
void                ga_picture_write_temp_async     (GaPicture            *self,
                                                     const char           *purpose,
                                                     GCancellable         *cancellable,
                                                     GAsyncReadyCallback   callback,
                                                     gpointer              user_data);
GFile              *ga_picture_write_temp_finish    (GaPicture            *self,
                                                     GAsyncResult         *result,
                                                     GError              **error);
void                ga_picture_clean_temp_files     (const char           *purpose,
                                                     GTimeSpan             older_than);

GdkContentProvider *ga_picture_create_content       (GaPicture            *self,
                                                     GFile                *file);

G_END_DECLS
