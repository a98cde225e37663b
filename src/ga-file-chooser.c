/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "ga-file-chooser"

#include "config.h"

#include "ga-file-chooser.h"

#include <glib/gi18n.h>

#if GTK_CHECK_VERSION (4, 10, 0)
/* GtkFileDialog is newer than the GTK 4.8 floor that the build pins, hence the pragmas. */
G_GNUC_BEGIN_IGNORE_DEPRECATIONS
static void
dialog_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GaFileChooserMode mode = GPOINTER_TO_INT (g_task_get_task_data (task));
  GError *error = NULL;
  GFile *file;

  if (mode == GA_FILE_CHOOSER_SELECT_FOLDER)
    file = gtk_file_dialog_select_folder_finish (GTK_FILE_DIALOG (object), result, &error);
  else
    file = gtk_file_dialog_open_finish (GTK_FILE_DIALOG (object), result, &error);

  if (file == NULL)
    {
      /* Dismissing the dialog is no error a person needs to see. */
      g_clear_error (&error);
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "Dismissed");
      return;
    }

  g_task_return_pointer (task, file, g_object_unref);
}

static void
choose (GTask             *task,
        GtkWindow         *parent,
        GaFileChooserMode  mode,
        const char        *title)
{
  g_autoptr(GtkFileDialog) dialog = gtk_file_dialog_new ();

  gtk_file_dialog_set_title (dialog, title);
  gtk_file_dialog_set_modal (dialog, TRUE);
  if (mode == GA_FILE_CHOOSER_SELECT_FOLDER)
    gtk_file_dialog_select_folder (dialog, parent, g_task_get_cancellable (task), dialog_cb, task);
  else
    gtk_file_dialog_open (dialog, parent, g_task_get_cancellable (task), dialog_cb, task);
}
G_GNUC_END_IGNORE_DEPRECATIONS
#else
static void
response_cb (GtkNativeDialog *chooser,
             int              response,
             gpointer         user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GFile) file = NULL;

  gtk_native_dialog_hide (chooser);
  g_signal_handlers_disconnect_by_func (chooser, response_cb, user_data);

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));

  if (file == NULL)
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "Dismissed");
  else
    g_task_return_pointer (task, g_steal_pointer (&file), g_object_unref);
}

static void
choose (GTask             *task,
        GtkWindow         *parent,
        GaFileChooserMode  mode,
        const char        *title)
{
  GtkFileChooserNative *chooser;

  chooser = gtk_file_chooser_native_new (title, parent,
                                         mode == GA_FILE_CHOOSER_SELECT_FOLDER
                                           ? GTK_FILE_CHOOSER_ACTION_SELECT_FOLDER
                                           : GTK_FILE_CHOOSER_ACTION_OPEN,
                                         mode == GA_FILE_CHOOSER_SELECT_FOLDER
                                           ? _("_Select") : _("_Open"),
                                         _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  /* The chooser must live until it answers: the task keeps it. */
  g_object_set_data_full (G_OBJECT (task), "ga-chooser", chooser, g_object_unref);
  g_signal_connect (chooser, "response", G_CALLBACK (response_cb), task);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}
#endif

/**
 * ga_file_chooser_choose_async:
 * @parent: (nullable): the window the dialog belongs to
 * @mode: a file to open or a folder
 * @title: the dialog's title, translated
 *
 * Asks for a file or a folder. Dismissing the dialog finishes with %G_IO_ERROR_CANCELLED.
 */
void
ga_file_chooser_choose_async (GtkWindow           *parent,
                              GaFileChooserMode    mode,
                              const char          *title,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);

  g_task_set_source_tag (task, ga_file_chooser_choose_async);
  g_task_set_task_data (task, GINT_TO_POINTER (mode), NULL);
  choose (task, parent, mode, title);
}

GFile *
ga_file_chooser_choose_finish (GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
