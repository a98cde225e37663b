/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "ga-compare-dialog"

#include "config.h"

#include "ga-compare-dialog.h"

#include "ga-download.h"
#include "ga-image.h"
#include "ga-secret.h"

#include <glib/gi18n.h>
#include <string.h>

#define CARD_PICTURE_SIZE 128
#define DOWNLOAD_TIMEOUT_SECONDS 30

typedef struct
{
  char *id_instance;  /* (owned) */
  char *label;        /* (owned) */
  char *api_url;      /* (owned) */
  char *token;        /* (owned) (nullable): wiped when freed */
} Asked;

struct _GaCompareDialog
{
  AdwWindow       parent_instance;

  SoupSession    *session;      /* (owned) */
  GaCredentials  *credentials;  /* (owned) */
  GCancellable   *cancellable;  /* (owned): token lookups, questions and downloads */
  GaCompare      *compare;      /* (owned) (nullable): once every token is known */
  char           *chat_id;      /* (owned) */
  GPtrArray      *asked;        /* (owned) (element-type Asked) */
  guint           lookups;      /* token lookups still running */

  GtkFlowBox     *cards;
  GPtrArray      *card_pictures;  /* (element-type GtkImage) (unowned) */
  GPtrArray      *card_statuses;  /* (element-type GtkLabel) (unowned) */
  GPtrArray      *card_icons;     /* (element-type GtkImage) (unowned) */
};

G_DEFINE_FINAL_TYPE (GaCompareDialog, ga_compare_dialog, ADW_TYPE_WINDOW)

static void
asked_free (Asked *asked)
{
  if (asked->token != NULL)
    memset (asked->token, 0, strlen (asked->token));
  g_free (asked->token);
  g_free (asked->id_instance);
  g_free (asked->label);
  g_free (asked->api_url);
  g_free (asked);
}

/* Cards */

static void
add_card (GaCompareDialog *self,
          const char      *label)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *overlay = gtk_overlay_new ();
  /* A GtkImage, not a GtkPicture: its natural size is the pixel size, not the picture's, so
   * cards stay small enough to sit side by side. */
  GtkWidget *picture = gtk_image_new ();
  GtkWidget *icon = gtk_image_new_from_icon_name ("content-loading-symbolic");
  GtkWidget *title = gtk_label_new (label);
  GtkWidget *status = gtk_label_new (_("Asking…"));

  gtk_widget_add_css_class (box, "card");
  gtk_widget_set_size_request (box, 200, -1);
  gtk_widget_set_margin_start (box, 6);
  gtk_widget_set_margin_end (box, 6);
  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);

  gtk_widget_set_size_request (overlay, CARD_PICTURE_SIZE, CARD_PICTURE_SIZE);
  gtk_widget_set_halign (overlay, GTK_ALIGN_CENTER);
  gtk_widget_set_margin_top (overlay, 12);
  gtk_image_set_pixel_size (GTK_IMAGE (picture), CARD_PICTURE_SIZE);
  gtk_overlay_set_child (GTK_OVERLAY (overlay), picture);
  gtk_image_set_pixel_size (GTK_IMAGE (icon), 64);
  gtk_widget_add_css_class (icon, "dim-label");
  gtk_widget_set_halign (icon, GTK_ALIGN_CENTER);
  gtk_widget_set_valign (icon, GTK_ALIGN_CENTER);
  gtk_overlay_add_overlay (GTK_OVERLAY (overlay), icon);
  gtk_box_append (GTK_BOX (box), overlay);

  gtk_widget_add_css_class (title, "heading");
  gtk_label_set_wrap (GTK_LABEL (title), TRUE);
  gtk_label_set_justify (GTK_LABEL (title), GTK_JUSTIFY_CENTER);
  gtk_box_append (GTK_BOX (box), title);

  gtk_label_set_wrap (GTK_LABEL (status), TRUE);
  gtk_label_set_justify (GTK_LABEL (status), GTK_JUSTIFY_CENTER);
  /* A wrapping label asks for its whole text as natural width: cap it, so that cards fit side
   * by side. */
  gtk_label_set_width_chars (GTK_LABEL (status), 18);
  gtk_label_set_max_width_chars (GTK_LABEL (status), 22);
  gtk_label_set_max_width_chars (GTK_LABEL (title), 22);
  gtk_widget_set_margin_start (status, 12);
  gtk_widget_set_margin_end (status, 12);
  gtk_widget_set_margin_bottom (status, 12);
  gtk_box_append (GTK_BOX (box), status);

  gtk_flow_box_append (self->cards, box);
  g_ptr_array_add (self->card_pictures, picture);
  g_ptr_array_add (self->card_statuses, status);
  g_ptr_array_add (self->card_icons, icon);
}

static void
set_card (GaCompareDialog *self,
          guint            index,
          const char      *icon_name,
          const char      *status,
          const char      *style)
{
  GtkWidget *label = g_ptr_array_index (self->card_statuses, index);
  GtkWidget *icon = g_ptr_array_index (self->card_icons, index);

  gtk_label_set_text (GTK_LABEL (label), status);
  gtk_widget_remove_css_class (label, "error");
  gtk_widget_remove_css_class (label, "success");
  gtk_widget_remove_css_class (label, "warning");
  if (style != NULL)
    gtk_widget_add_css_class (label, style);
  if (icon_name != NULL)
    gtk_image_set_from_icon_name (GTK_IMAGE (icon), icon_name);
  gtk_widget_set_visible (icon, icon_name != NULL);
}

typedef struct
{
  GaCompareDialog *self;  /* (owned) */
  guint            index;
} Picture;

static void
picture_free (Picture *picture)
{
  g_clear_object (&picture->self);
  g_free (picture);
}

static void
decode_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Picture *picture = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GdkTexture) texture = ga_image_decode_finish (result, &error);

  if (texture != NULL && !g_cancellable_is_cancelled (picture->self->cancellable))
    {
      gtk_image_set_from_paintable (g_ptr_array_index (picture->self->card_pictures,
                                                       picture->index),
                                    GDK_PAINTABLE (texture));
      set_card (picture->self, picture->index, NULL, _("Sees the picture"), "success");
    }
  else if (error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      set_card (picture->self, picture->index, "image-missing-symbolic",
                _("Sees a picture, which could not be shown"), "warning");
    }

  picture_free (picture);
}

static void
download_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  Picture *picture = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = ga_download_finish (result, &error);

  if (bytes == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        set_card (picture->self, picture->index, "image-missing-symbolic",
                  _("Sees a picture, which could not be downloaded"), "warning");
      picture_free (picture);
      return;
    }

  ga_image_decode_async (bytes, picture->self->cancellable, decode_cb, picture);
}

static void
answered_cb (GaCompareDialog *self,
             guint            index,
             GaCompare       *compare)
{
  GaAvatarInfo *info = ga_compare_get_info (compare, index);
  const GError *error = ga_compare_get_error (compare, index);
  Picture *picture;

  if (info == NULL)
    {
      g_autofree char *text = NULL;

      /* TRANSLATORS: %s says why, e.g. "The API token is wrong". */
      text = g_strdup_printf (_("Failed: %s"), error != NULL ? error->message : "");
      set_card (self, index, "dialog-error-symbolic", text, "error");
      return;
    }

  switch (ga_avatar_info_get_state (info))
    {
    case GA_AVATAR_STATE_PRIVATE:
      set_card (self, index, "changes-prevent-symbolic",
                _("Private: the contact's privacy settings hide the picture from this account"),
                NULL);
      return;

    case GA_AVATAR_STATE_NOT_SET:
      set_card (self, index, "avatar-default-symbolic", _("No picture set"), NULL);
      return;

    case GA_AVATAR_STATE_HAS_AVATAR:
    default:
      break;
    }

  set_card (self, index, "content-loading-symbolic", _("Sees the picture"), "success");

  picture = g_new0 (Picture, 1);
  picture->self = g_object_ref (self);
  picture->index = index;

  if (ga_avatar_info_get_inline_image (info) != NULL)
    ga_image_decode_async (ga_avatar_info_get_inline_image (info), self->cancellable, decode_cb,
                           picture);
  else if (ga_avatar_info_get_url (info) != NULL)
    ga_download_async (self->session, ga_avatar_info_get_url (info), DOWNLOAD_TIMEOUT_SECONDS,
                       self->cancellable, download_cb, picture);
  else
    picture_free (picture);
}

static void
run_cb (GObject      *object,
        GAsyncResult *result,
        gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  /* Each answer was shown as it came; nothing is left to do. */
  ga_compare_run_finish (GA_COMPARE (object), result, &error);
}

/* Every token is known: ask. */
static void
start (GaCompareDialog *self)
{
  self->compare = ga_compare_new (self->chat_id);

  for (guint i = 0; i < self->asked->len; i++)
    {
      Asked *asked = g_ptr_array_index (self->asked, i);
      g_autoptr(GaClient) client = NULL;

      if (asked->token != NULL)
        client = ga_client_new (self->session, asked->api_url, asked->id_instance, asked->token);

      ga_compare_add (self->compare, asked->label, client,
                      asked->token == NULL ? _("No token is stored for this instance")
                                           : _("The instance's values are not valid"));
    }

  g_signal_connect_object (self->compare, "answered", G_CALLBACK (answered_cb), self,
                           G_CONNECT_SWAPPED);
  ga_compare_run_async (self->compare, self->cancellable, run_cb, NULL);
}

typedef struct
{
  GaCompareDialog *self;  /* (owned) */
  Asked           *asked; /* (unowned): in self->asked */
} Lookup;

static void
lookup_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Lookup *lookup = user_data;
  g_autoptr(GaCompareDialog) self = lookup->self;
  g_autoptr(GError) error = NULL;
  char *token;

  token = ga_secret_lookup_finish (result, &error);
  if (token != NULL)
    {
      lookup->asked->token = g_strdup (token);
      memset (token, 0, strlen (token));
      secret_password_free (token);
    }
  g_free (lookup);

  if (g_cancellable_is_cancelled (self->cancellable))
    return;

  if (--self->lookups == 0)
    start (self);
}

static Asked *
ask (GaCompareDialog *self,
     const char      *id_instance,
     const char      *label,
     const char      *api_url)
{
  Asked *asked = g_new0 (Asked, 1);

  asked->id_instance = g_strdup (id_instance);
  asked->label = g_strdup (label);
  asked->api_url = g_strdup (api_url);
  g_ptr_array_add (self->asked, asked);
  add_card (self, label);

  /* The current instance's token may be in memory only (no keyring, a variable); the demo
   * server's instances share the demo token. */
  if (ga_credentials_get_demo (self->credentials) ||
      (g_strcmp0 (id_instance, ga_credentials_get_id_instance (self->credentials)) == 0 &&
       (ga_credentials_get_overridden (self->credentials) != GA_CREDENTIALS_FIELD_NONE ||
        !ga_credentials_get_token_remembered (self->credentials))))
    asked->token = ga_credentials_dup_token (self->credentials);

  return asked;
}

/* GObject */

static void
ga_compare_dialog_dispose (GObject *object)
{
  GaCompareDialog *self = GA_COMPARE_DIALOG (object);

  g_cancellable_cancel (self->cancellable);

  G_OBJECT_CLASS (ga_compare_dialog_parent_class)->dispose (object);
}

static void
ga_compare_dialog_finalize (GObject *object)
{
  GaCompareDialog *self = GA_COMPARE_DIALOG (object);

  g_clear_object (&self->session);
  g_clear_object (&self->credentials);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->compare);
  g_free (self->chat_id);
  g_ptr_array_unref (self->asked);
  g_ptr_array_unref (self->card_pictures);
  g_ptr_array_unref (self->card_statuses);
  g_ptr_array_unref (self->card_icons);

  G_OBJECT_CLASS (ga_compare_dialog_parent_class)->finalize (object);
}

static void
ga_compare_dialog_class_init (GaCompareDialogClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ga_compare_dialog_dispose;
  object_class->finalize = ga_compare_dialog_finalize;

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
ga_compare_dialog_init (GaCompareDialog *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  GtkWidget *clamp = adw_clamp_new ();

  self->cancellable = g_cancellable_new ();
  self->asked = g_ptr_array_new_with_free_func ((GDestroyNotify) asked_free);
  self->card_pictures = g_ptr_array_new ();
  self->card_statuses = g_ptr_array_new ();
  self->card_icons = g_ptr_array_new ();

  gtk_window_set_title (GTK_WINDOW (self), _("Every Instance"));
  gtk_window_set_default_size (GTK_WINDOW (self), 720, 420);
  gtk_window_set_destroy_with_parent (GTK_WINDOW (self), TRUE);

  gtk_box_append (GTK_BOX (box), header);
  gtk_widget_set_vexpand (scrolled, TRUE);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  adw_clamp_set_maximum_size (ADW_CLAMP (clamp), 1000);

  self->cards = GTK_FLOW_BOX (gtk_flow_box_new ());
  gtk_widget_set_name (GTK_WIDGET (self->cards), "compare-cards");
  gtk_flow_box_set_selection_mode (self->cards, GTK_SELECTION_NONE);
  gtk_flow_box_set_homogeneous (self->cards, TRUE);
  gtk_flow_box_set_min_children_per_line (self->cards, 1);
  gtk_flow_box_set_max_children_per_line (self->cards, 4);
  gtk_widget_set_valign (GTK_WIDGET (self->cards), GTK_ALIGN_START);
  gtk_widget_set_margin_top (GTK_WIDGET (self->cards), 12);
  gtk_widget_set_margin_bottom (GTK_WIDGET (self->cards), 12);
  gtk_widget_set_margin_start (GTK_WIDGET (self->cards), 6);
  gtk_widget_set_margin_end (GTK_WIDGET (self->cards), 6);
  adw_clamp_set_child (ADW_CLAMP (clamp), GTK_WIDGET (self->cards));
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), clamp);
  gtk_box_append (GTK_BOX (box), scrolled);

  adw_window_set_content (ADW_WINDOW (self), box);
}

/**
 * ga_compare_dialog_present:
 * @parent: (nullable): the main window
 * @instances: (nullable): every configured instance; %NULL asks only the current one
 * @credentials: the current instance
 * @chat_id: a canonical chat ID
 *
 * Returns: (transfer none): the dialog, presented; GTK owns it
 */
GaCompareDialog *
ga_compare_dialog_present (GtkWindow     *parent,
                           GaInstances   *instances,
                           GaCredentials *credentials,
                           SoupSession   *session,
                           const char    *chat_id)
{
  GaCompareDialog *self;
  AdwWindowTitle *title;
  guint n = 0;
  gboolean current_listed = FALSE;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (instances == NULL || GA_IS_INSTANCES (instances), NULL);
  g_return_val_if_fail (GA_IS_CREDENTIALS (credentials), NULL);
  g_return_val_if_fail (SOUP_IS_SESSION (session), NULL);
  g_return_val_if_fail (chat_id != NULL, NULL);

  self = g_object_new (GA_TYPE_COMPARE_DIALOG, NULL);
  self->session = g_object_ref (session);
  self->credentials = g_object_ref (credentials);
  self->chat_id = g_strdup (chat_id);
  gtk_window_set_transient_for (GTK_WINDOW (self), parent);
  gtk_window_set_modal (GTK_WINDOW (self), parent != NULL);

  title = ADW_WINDOW_TITLE (adw_window_title_new (_("Every Instance"), chat_id));
  adw_header_bar_set_title_widget (ADW_HEADER_BAR (gtk_widget_get_first_child (
                                     adw_window_get_content (ADW_WINDOW (self)))),
                                   GTK_WIDGET (title));

  if (instances != NULL)
    n = g_list_model_get_n_items (G_LIST_MODEL (instances));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GaInstance) instance = g_list_model_get_item (G_LIST_MODEL (instances), i);
      const char *id_instance = ga_instance_get_id_instance (instance);
      Asked *asked;

      current_listed |= g_strcmp0 (id_instance, ga_credentials_get_id_instance (credentials)) == 0;
      asked = ask (self, id_instance, ga_instance_get_label (instance),
                   g_strcmp0 (id_instance, ga_credentials_get_id_instance (credentials)) == 0
                   ? ga_credentials_get_api_url (credentials)
                   : ga_instance_get_api_url (instance));

      /* Demo mode reads nothing from the keyring. */
      if (asked->token == NULL && !ga_credentials_get_demo (credentials))
        {
          Lookup *lookup = g_new0 (Lookup, 1);

          lookup->self = g_object_ref (self);
          lookup->asked = asked;
          self->lookups++;
          ga_secret_lookup_async (id_instance, self->cancellable, lookup_cb, lookup);
        }
    }

  /* The temporary instance of GREEN_API_* variables, or the only one there is. */
  if (!current_listed && ga_credentials_get_id_instance (credentials) != NULL)
    ask (self, ga_credentials_get_id_instance (credentials),
         ga_credentials_get_id_instance (credentials),
         ga_credentials_get_api_url (credentials));

  if (self->lookups == 0)
    start (self);

  gtk_window_present (GTK_WINDOW (self));

  return self;
}

/**
 * ga_compare_dialog_get_compare:
 *
 * Returns: (transfer none) (nullable): the comparison, once every token was looked up
 */
GaCompare *
ga_compare_dialog_get_compare (GaCompareDialog *self)
{
  g_return_val_if_fail (GA_IS_COMPARE_DIALOG (self), NULL);

  return self->compare;
}
