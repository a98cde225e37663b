/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "ga-window"

#include "config.h"

#include "ga-window-private.h"

#include <glib/gi18n.h>

/*
 * The window's picture actions: win.save-picture (Ctrl+S), win.copy-picture (Ctrl+C on the
 * picture), win.open-picture, dragging the picture out, and removing the files earlier drags
 * and viewers were handed. The window owns one GaWindowPicture; it holds the picture on screen
 * and outlives the window only as long as a save or a file for a viewer is still being written.
 */

/* Files handed to other applications (a drag, the image viewer) are removed once they are
 * this old: by then the other application has long read them. */
#define TEMP_FILE_MAX_AGE (G_TIME_SPAN_DAY)

struct _GaWindowPicture
{
  GObject parent_instance;

  GtkWindow *window;            /* (unowned) (nullable): NULL once closed */
  AdwToastOverlay *toasts;      /* (unowned) (nullable): NULL once closed */
  GaPicture *picture;           /* (owned) (nullable): the picture on screen */
  GCancellable *cancellable;    /* (owned): writing files for other applications */
#if GTK_CHECK_VERSION (4, 10, 0)
  GtkFileDialog *save_dialog;   /* (owned) (nullable): the save dialog while it is open */
#else
  GtkFileChooserNative *save_chooser; /* (owned) (nullable): the save dialog while it is open */
#endif
};

G_DEFINE_FINAL_TYPE (GaWindowPicture, ga_window_picture, G_TYPE_OBJECT)

static void
show_toast (GaWindowPicture *self,
            const char      *title)
{
  AdwToast *toast;

  /* A save or a file for the viewer may finish after the window closed. */
  if (self->toasts == NULL || g_cancellable_is_cancelled (self->cancellable))
    return;

  toast = adw_toast_new (title);
  adw_toast_set_timeout (toast, 3);
  adw_toast_overlay_add_toast (self->toasts, toast);
}

/* Saving */

static void
save_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GaWindowPicture) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *title = NULL;

  if (ga_picture_save_finish (GA_PICTURE (object), result, &error))
    {
      show_toast (self, _("Picture saved"));
      return;
    }

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  /* Translators: %s says why, e.g. "Permission denied" */
  title = g_strdup_printf (_("The picture could not be saved: %s. Choose another folder."),
                           error->message);
  show_toast (self, title);
}

static void
save_to_file (GaWindowPicture *self,
              GaPicture       *picture,
              GFile           *file)
{
  ga_picture_save_async (picture, file, self->cancellable, save_cb, g_object_ref (self));
}

#if GTK_CHECK_VERSION (4, 10, 0)
/* GtkFileDialog is newer than the GTK 4.8 floor that the build pins, hence the pragmas. */
G_GNUC_BEGIN_IGNORE_DEPRECATIONS
static void
save_dialog_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GaWindowPicture) self = user_data;
  g_autoptr(GaPicture) picture = g_object_steal_data (object, "ga-picture");
  g_autoptr(GFile) file = gtk_file_dialog_save_finish (GTK_FILE_DIALOG (object), result, NULL);

  if (self->save_dialog == GTK_FILE_DIALOG (object))
    g_clear_object (&self->save_dialog);

  if (file != NULL && picture != NULL && !g_cancellable_is_cancelled (self->cancellable))
    save_to_file (self, picture, file);
}

static void
open_save_dialog (GaWindowPicture *self,
                  const char      *name)
{
  if (self->save_dialog != NULL)
    return;

  self->save_dialog = gtk_file_dialog_new ();
  gtk_file_dialog_set_title (self->save_dialog, _("Save Picture"));
  gtk_file_dialog_set_initial_name (self->save_dialog, name);
  gtk_file_dialog_set_modal (self->save_dialog, TRUE);
  g_object_set_data_full (G_OBJECT (self->save_dialog), "ga-picture",
                          g_object_ref (self->picture), g_object_unref);
  gtk_file_dialog_save (self->save_dialog, self->window, self->cancellable,
                        save_dialog_cb, g_object_ref (self));
}

static void
close_save_dialog (GaWindowPicture *self)
{
  g_clear_object (&self->save_dialog);
}
G_GNUC_END_IGNORE_DEPRECATIONS
#else
static void
save_response_cb (GaWindowPicture      *self,
                  int                   response,
                  GtkFileChooserNative *chooser)
{
  /* Our reference; the signal emission holds one of its own meanwhile. */
  GtkFileChooserNative *owned = g_steal_pointer (&self->save_chooser);
  GaPicture *picture = g_object_get_data (G_OBJECT (chooser), "ga-picture");
  g_autoptr(GFile) file = NULL;

  gtk_native_dialog_hide (GTK_NATIVE_DIALOG (chooser));

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  if (file != NULL && picture != NULL)
    save_to_file (self, picture, file);

  g_clear_object (&owned);
}

static void
open_save_dialog (GaWindowPicture *self,
                  const char      *name)
{
  if (self->save_chooser != NULL)
    {
      gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->save_chooser));
      return;
    }

  self->save_chooser = gtk_file_chooser_native_new (_("Save Picture"),
                                                    self->window,
                                                    GTK_FILE_CHOOSER_ACTION_SAVE,
                                                    _("_Save"),
                                                    _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->save_chooser), TRUE);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->save_chooser), name);
  g_object_set_data_full (G_OBJECT (self->save_chooser), "ga-picture",
                          g_object_ref (self->picture), g_object_unref);
  g_signal_connect_object (self->save_chooser, "response",
                           G_CALLBACK (save_response_cb), self, G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->save_chooser));
}

static void
close_save_dialog (GaWindowPicture *self)
{
  if (self->save_chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->save_chooser));
  g_clear_object (&self->save_chooser);
}
#endif

static void
save_picture_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  GaWindowPicture *self = ga_window_get_picture_actions (GA_WINDOW (widget));
  g_autofree char *name = NULL;

  if (self->picture == NULL || self->window == NULL)
    return;

  /* The picture on screen when the dialog opened is the one saved, whatever comes next. */
  name = ga_picture_dup_file_name (self->picture);
  open_save_dialog (self, name);
}

/* Copying */

static void
copy_picture_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  GaWindowPicture *self = ga_window_get_picture_actions (GA_WINDOW (widget));
  g_autoptr(GdkContentProvider) content = NULL;

  if (self->picture == NULL)
    return;

  content = ga_picture_create_content (self->picture, NULL);
  gdk_clipboard_set_content (gtk_widget_get_clipboard (widget), content);
  show_toast (self, _("Picture copied"));
}

/* Opening in the image viewer */

static void
show_uri_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GaWindowPicture) self = user_data;
  g_autoptr(GError) error = NULL;

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  if (!gtk_show_uri_full_finish (GTK_WINDOW (object), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    show_toast (self, _("No app could open the picture. Install an image viewer, or save the "
                        "picture instead."));
  G_GNUC_END_IGNORE_DEPRECATIONS
}

static void
open_written_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) file = ga_picture_write_temp_finish (GA_PICTURE (object), result, &error);
  g_autoptr(GaWindowPicture) self = user_data;
  g_autofree char *uri = NULL;

  if (file == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        show_toast (self, _("The picture could not be written for the image viewer. Check "
                            "that there is free disk space."));
      return;
    }

  /* Closed meanwhile: gone from the screen (unrealized), though not yet finalized. */
  if (g_cancellable_is_cancelled (self->cancellable) ||
      self->window == NULL ||
      !gtk_widget_get_realized (GTK_WIDGET (self->window)))
    return;

  uri = g_file_get_uri (file);
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_show_uri_full (self->window, uri, GDK_CURRENT_TIME, self->cancellable,
                     show_uri_cb, g_object_ref (self));
  G_GNUC_END_IGNORE_DEPRECATIONS
}

static void
open_picture_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  GaWindowPicture *self = ga_window_get_picture_actions (GA_WINDOW (widget));

  if (self->picture == NULL)
    return;

  /* The viewer gets a file of its own, full size and in the format WhatsApp serves. */
  ga_picture_write_temp_async (self->picture, "open", self->cancellable,
                               open_written_cb, g_object_ref (self));
}

/* Dragging */

static GdkContentProvider *
drag_prepare_cb (GtkDragSource   *source,
                 double           x,
                 double           y,
                 GaWindowPicture *self)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;

  if (self->picture == NULL)
    return NULL;

  /* A file manager wants a file, and wants it before the drag starts: writing the picture
   * (a few dozen kilobytes) here is the one blocking write, and it is small. An app that
   * takes images gets the picture itself. */
  file = ga_picture_write_temp (self->picture, "drag", &error);
  if (file == NULL)
    g_debug ("The picture could not be written for a drag: %s", error->message);

  return ga_picture_create_content (self->picture, file);
}

static void
drag_begin_cb (GtkDragSource   *source,
               GdkDrag         *drag,
               GaWindowPicture *self)
{
  GtkWidget *icon;

  if (self->picture == NULL)
    return;

  icon = gtk_picture_new_for_paintable (GDK_PAINTABLE (ga_picture_get_texture (self->picture)));
  gtk_widget_set_size_request (icon, 96, 96);
  gtk_widget_add_css_class (icon, "avatar-picture");
  gtk_drag_icon_set_child (GTK_DRAG_ICON (gtk_drag_icon_get_for_drag (drag)), icon);
}

/* Temporary files */

static void
clean_temp_files_thread (GTask        *task,
                         gpointer      source_object,
                         gpointer      task_data,
                         GCancellable *cancellable)
{
  ga_picture_clean_temp_files ("drag", TEMP_FILE_MAX_AGE);
  ga_picture_clean_temp_files ("open", TEMP_FILE_MAX_AGE);
  g_task_return_boolean (task, TRUE);
}

/* Removes, off the main thread, what earlier drags and viewers were handed. */
void
ga_window_picture_clean_temp_files (void)
{
  g_autoptr(GTask) task = g_task_new (NULL, NULL, NULL, NULL);

  g_task_set_source_tag (task, ga_window_picture_clean_temp_files);
  g_task_set_priority (task, G_PRIORITY_LOW);
  g_task_run_in_thread (task, clean_temp_files_thread);
}

/* GObject */

static void
ga_window_picture_dispose (GObject *object)
{
  GaWindowPicture *self = GA_WINDOW_PICTURE (object);

  /* Only once the last save or file write let go of it: nothing uses the cancellable after. */
  ga_window_picture_close (self);
  g_clear_object (&self->picture);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (ga_window_picture_parent_class)->dispose (object);
}

static void
ga_window_picture_class_init (GaWindowPictureClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = ga_window_picture_dispose;
}

static void
ga_window_picture_init (GaWindowPicture *self)
{
  self->cancellable = g_cancellable_new ();
}

/* Installs win.save-picture, win.copy-picture and win.open-picture on the window's class. */
void
ga_window_picture_class_init_actions (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "win.save-picture", NULL, save_picture_action);
  gtk_widget_class_install_action (widget_class, "win.copy-picture", NULL, copy_picture_action);
  gtk_widget_class_install_action (widget_class, "win.open-picture", NULL, open_picture_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK,
                                       "win.save-picture", NULL);
}

/**
 * ga_window_picture_new:
 * @window: the window, the parent of the save dialog and the viewer
 * @toasts: where "Picture saved" and the like show
 * @picture: the widget showing the picture: it gets Ctrl+C and the drag source
 *
 * Returns: (transfer full): the picture actions of @window, which owns them
 */
GaWindowPicture *
ga_window_picture_new (GtkWindow       *window,
                       AdwToastOverlay *toasts,
                       GtkWidget       *picture)
{
  GaWindowPicture *self = g_object_new (GA_TYPE_WINDOW_PICTURE, NULL);
  GtkEventController *shortcuts;
  GtkDragSource *drag_source;

  self->window = window;
  self->toasts = toasts;

  /* Ctrl+C copies the picture while it has the focus; elsewhere it copies text as usual. */
  shortcuts = gtk_shortcut_controller_new ();
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts),
                                        gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_c,
                                                                                  GDK_CONTROL_MASK),
                                                          gtk_named_action_new ("win.copy-picture")));
  gtk_widget_add_controller (picture, shortcuts);

  drag_source = gtk_drag_source_new ();
  gtk_drag_source_set_actions (drag_source, GDK_ACTION_COPY);
  g_signal_connect_object (drag_source, "prepare", G_CALLBACK (drag_prepare_cb), self, 0);
  g_signal_connect_object (drag_source, "drag-begin", G_CALLBACK (drag_begin_cb), self, 0);
  gtk_widget_add_controller (picture, GTK_EVENT_CONTROLLER (drag_source));

  return self;
}

/**
 * ga_window_picture_close:
 * @self: a #GaWindowPicture
 *
 * For the window's dispose: closes the save dialog, and a save or a file for the viewer still
 * being written finishes without the window (and without a toast).
 */
void
ga_window_picture_close (GaWindowPicture *self)
{
  g_return_if_fail (GA_IS_WINDOW_PICTURE (self));

  g_cancellable_cancel (self->cancellable);
  close_save_dialog (self);
  self->window = NULL;
  self->toasts = NULL;
}

/* The picture on screen, or %NULL. */
GaPicture *
ga_window_picture_get (GaWindowPicture *self)
{
  g_return_val_if_fail (GA_IS_WINDOW_PICTURE (self), NULL);

  return self->picture;
}

/* What the actions act on from now: @picture (nullable), or nothing. */
void
ga_window_picture_set (GaWindowPicture *self,
                       GaPicture       *picture)
{
  g_return_if_fail (GA_IS_WINDOW_PICTURE (self));
  g_return_if_fail (picture == NULL || GA_IS_PICTURE (picture));

  g_set_object (&self->picture, picture);
}
