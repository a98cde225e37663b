/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/**
 * GaFileChooserMode:
 * @GA_FILE_CHOOSER_OPEN: pick one existing file
 * @GA_FILE_CHOOSER_SELECT_FOLDER: pick a folder
 */
typedef enum
{
  GA_FILE_CHOOSER_OPEN,
  GA_FILE_CHOOSER_SELECT_FOLDER,
} GaFileChooserMode;

/* GtkFileChooserNative on GTK 4.8, GtkFileDialog from 4.10: both go through the portal under
 * Flatpak. The one place where the version branches live. */
void   ga_file_chooser_choose_async  (GtkWindow            *parent,
                                      GaFileChooserMode     mode,
                                      const char           *title,
                                      GCancellable         *cancellable,
                                      GAsyncReadyCallback   callback,
                                      gpointer              user_data);
GFile *ga_file_chooser_choose_finish (GAsyncResult         *result,
                                      GError              **error);

G_END_DECLS
