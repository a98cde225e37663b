/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "ga-picture"

#include "config.h"

#include "ga-picture.h"

#include "ga-export.h"
#include "ga-image.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <string.h>

struct _GaPicture
{
  GObject parent_instance;

  char *chat_id;                /* (owned) */
  GdkTexture *texture;          /* (owned) */
  GBytes *bytes;                /* (owned) (nullable): the encoded picture from the network */
  GBytes *file_bytes;           /* (owned) (nullable): what a file gets, made when first asked */
  const char *extension;        /* (unowned) (nullable): the file name extension for it */
};

G_DEFINE_FINAL_TYPE (GaPicture, ga_picture, G_TYPE_OBJECT)

static void
ga_picture_finalize (GObject *object)
{
  GaPicture *self = GA_PICTURE (object);

  g_free (self->chat_id);
  g_clear_object (&self->texture);
  g_clear_pointer (&self->bytes, g_bytes_unref);
  g_clear_pointer (&self->file_bytes, g_bytes_unref);

  G_OBJECT_CLASS (ga_picture_parent_class)->finalize (object);
}

static void
ga_picture_class_init (GaPictureClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = ga_picture_finalize;
}

static void
ga_picture_init (GaPicture *self)
{
}

/**
 * ga_picture_new:
 * @chat_id: the canonical chat ID the picture belongs to
 * @texture: the decoded picture
 * @bytes: (nullable): the encoded picture it was decoded from
 *
 * Returns: (transfer full): a new #GaPicture
 */
GaPicture *
ga_picture_new (const char *chat_id,
                GdkTexture *texture,
                GBytes     *bytes)
{
  GaPicture *self;

  g_return_val_if_fail (chat_id != NULL, NULL);
  g_return_val_if_fail (GDK_IS_TEXTURE (texture), NULL);

  self = g_object_new (GA_TYPE_PICTURE, NULL);
  self->chat_id = g_strdup (chat_id);
  self->texture = g_object_ref (texture);
  self->bytes = bytes != NULL ? g_bytes_ref (bytes) : NULL;

  return self;
}

const char *
ga_picture_get_chat_id (GaPicture *self)
{
  g_return_val_if_fail (GA_IS_PICTURE (self), NULL);

  return self->chat_id;
}

GdkTexture *
ga_picture_get_texture (GaPicture *self)
{
  g_return_val_if_fail (GA_IS_PICTURE (self), NULL);

  return self->texture;
}

static const char *
extension_for_format (GaImageFormat format)
{
  switch (format)
    {
    case GA_IMAGE_FORMAT_JPEG:
      return "jpg";
    case GA_IMAGE_FORMAT_PNG:
      return "png";
    case GA_IMAGE_FORMAT_WEBP:
      return "webp";
    case GA_IMAGE_FORMAT_GIF:
      return "gif";
    case GA_IMAGE_FORMAT_UNKNOWN:
    default:
      return NULL;
    }
}

static void
ensure_file_bytes (GaPicture *self)
{
  GaImageFormat format = GA_IMAGE_FORMAT_UNKNOWN;

  if (self->file_bytes != NULL)
    return;

  /* The original bytes keep the quality and the metadata WhatsApp serves; only what the
   * probe recognises is trusted to be the format its extension will claim. */
  if (self->bytes != NULL &&
      ga_image_probe (g_bytes_get_data (self->bytes, NULL), g_bytes_get_size (self->bytes),
                      &format, NULL, NULL, NULL) &&
      extension_for_format (format) != NULL)
    {
      self->file_bytes = g_bytes_ref (self->bytes);
      self->extension = extension_for_format (format);
      return;
    }

  self->file_bytes = gdk_texture_save_to_png_bytes (self->texture);
  self->extension = "png";
}

/**
 * ga_picture_get_file_bytes:
 *
 * Returns: (transfer none): what a saved file holds: the original bytes, or the picture
 *   encoded as PNG when they are not known
 */
GBytes *
ga_picture_get_file_bytes (GaPicture *self)
{
  g_return_val_if_fail (GA_IS_PICTURE (self), NULL);

  ensure_file_bytes (self);

  return self->file_bytes;
}

/* The extension that fits ga_picture_get_file_bytes(), without the dot: "jpg", "png", … */
const char *
ga_picture_get_extension (GaPicture *self)
{
  g_return_val_if_fail (GA_IS_PICTURE (self), NULL);

  ensure_file_bytes (self);

  return self->extension;
}

/* The file name a save dialog suggests. */
char *
ga_picture_dup_file_name (GaPicture *self)
{
  g_return_val_if_fail (GA_IS_PICTURE (self), NULL);

  return ga_export_file_name_for_chat (self->chat_id, ga_picture_get_extension (self));
}

static void
replace_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_file_replace_contents_finish (G_FILE (object), result, NULL, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, g_object_ref (object), g_object_unref);
}

static void
replace_contents (GaPicture           *self,
                  GFile               *file,
                  GFileCreateFlags     flags,
                  gpointer             source_tag,
                  GCancellable        *cancellable,
                  GAsyncReadyCallback  callback,
                  gpointer             user_data)
{
  GTask *task;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, source_tag);

  g_file_replace_contents_bytes_async (file,
                                       ga_picture_get_file_bytes (self),
                                       NULL,
                                       FALSE,
                                       flags,
                                       cancellable,
                                       replace_cb,
                                       task);
}

/**
 * ga_picture_save_async:
 * @self: a #GaPicture
 * @file: where to save it, as chosen in the save dialog; replaced if it exists
 *
 * Writes ga_picture_get_file_bytes() to @file, off the main thread.
 */
void
ga_picture_save_async (GaPicture           *self,
                       GFile               *file,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_return_if_fail (GA_IS_PICTURE (self));
  g_return_if_fail (G_IS_FILE (file));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  replace_contents (self, file, G_FILE_CREATE_NONE, ga_picture_save_async,
                    cancellable, callback, user_data);
}

gboolean
ga_picture_save_finish (GaPicture     *self,
                        GAsyncResult  *result,
                        GError       **error)
{
  g_autoptr(GFile) file = NULL;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == ga_picture_save_async, FALSE);

  file = g_task_propagate_pointer (G_TASK (result), error);

  return file != NULL;
}

/**
 * ga_picture_get_temp_dir:
 * @purpose: a plain word: "drag" or "open"
 *
 * Returns: (transfer full): `$XDG_CACHE_HOME/green-avatar/@purpose`, where the files handed to
 *   other applications live until they are cleaned up
 */
char *
ga_picture_get_temp_dir (const char *purpose)
{
  g_return_val_if_fail (purpose != NULL && strchr (purpose, '/') == NULL, NULL);

  return g_build_filename (g_get_user_cache_dir (), "green-avatar", purpose, NULL);
}

static GFile *
temp_file (GaPicture   *self,
           const char  *purpose,
           GError     **error)
{
  g_autofree char *dir = ga_picture_get_temp_dir (purpose);
  g_autofree char *name = ga_picture_dup_file_name (self);
  g_autofree char *path = NULL;

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   "%s: %s", dir, g_strerror (saved_errno));
      return NULL;
    }

  path = g_build_filename (dir, name, NULL);

  return g_file_new_for_path (path);
}

/**
 * ga_picture_write_temp:
 * @purpose: see ga_picture_get_temp_dir()
 *
 * Writes the picture to a file other applications can read, named like the saved file.
 * Blocking: only for a drag, which needs the file before it starts (the picture is small).
 *
 * Returns: (transfer full) (nullable): the file
 */
GFile *
ga_picture_write_temp (GaPicture   *self,
                       const char  *purpose,
                       GError     **error)
{
  g_autoptr(GFile) file = NULL;
  GBytes *bytes;

  g_return_val_if_fail (GA_IS_PICTURE (self), NULL);

  file = temp_file (self, purpose, error);
  if (file == NULL)
    return NULL;

  bytes = ga_picture_get_file_bytes (self);
  if (!g_file_replace_contents (file,
                                g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes),
                                NULL, FALSE, G_FILE_CREATE_PRIVATE, NULL, NULL, error))
    return NULL;

  return g_steal_pointer (&file);
}

/* Like ga_picture_write_temp(), off the main thread. */
void
ga_picture_write_temp_async (GaPicture           *self,
                             const char          *purpose,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (GA_IS_PICTURE (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  file = temp_file (self, purpose, &error);
  if (file == NULL)
    {
      g_task_report_error (self, callback, user_data, ga_picture_write_temp_async,
                           g_steal_pointer (&error));
      return;
    }

  replace_contents (self, file, G_FILE_CREATE_PRIVATE, ga_picture_write_temp_async,
                    cancellable, callback, user_data);
}

/* Returns: (transfer full) (nullable): the file written */
GFile *
ga_picture_write_temp_finish (GaPicture     *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result, ga_picture_write_temp_async), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * ga_picture_clean_temp_files:
 * @purpose: see ga_picture_get_temp_dir()
 * @older_than: remove only files not changed for this long; 0 removes all
 *
 * Removes the files ga_picture_write_temp() left for other applications, once they are done
 * with them. Files in use a while ago may still be open in a viewer, hence the age.
 */
void
ga_picture_clean_temp_files (const char *purpose,
                             GTimeSpan   older_than)
{
  g_autofree char *path = ga_picture_get_temp_dir (purpose);
  g_autoptr(GDir) dir = NULL;
  gint64 now = g_get_real_time ();
  const char *name;

  dir = g_dir_open (path, 0, NULL);
  if (dir == NULL)
    return;

  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);
      GStatBuf buf;

      if (g_lstat (child, &buf) != 0 || !S_ISREG (buf.st_mode))
        continue;

      if (older_than > 0 && now - (gint64) buf.st_mtime * G_USEC_PER_SEC < older_than)
        continue;

      if (g_remove (child) != 0)
        g_debug ("Could not remove %s: %s", child, g_strerror (errno));
    }
}

/**
 * ga_picture_create_content:
 * @file: (nullable): the picture written to a file (ga_picture_write_temp())
 *
 * Returns: (transfer full): what a drag or the clipboard offers: the picture itself
 *   (image/png and the other image types GTK serializes textures to), and @file for file
 *   managers
 */
GdkContentProvider *
ga_picture_create_content (GaPicture *self,
                           GFile     *file)
{
  GdkContentProvider *providers[2];
  guint n = 0;

  g_return_val_if_fail (GA_IS_PICTURE (self), NULL);
  g_return_val_if_fail (file == NULL || G_IS_FILE (file), NULL);

  providers[n++] = gdk_content_provider_new_typed (GDK_TYPE_TEXTURE, self->texture);
  if (file != NULL)
    providers[n++] = gdk_content_provider_new_typed (G_TYPE_FILE, file);

  return gdk_content_provider_new_union (providers, n);
}
