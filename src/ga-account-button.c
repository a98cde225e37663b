/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "ga-account-button"

#include "config.h"

#include "ga-account-button.h"

#include "ga-download.h"
#include "ga-image.h"
#include "ga-instance-switcher.h"
#include "ga-text.h"

#include <adwaita.h>
#include <glib/gi18n.h>

/*
 * The WhatsApp account an instance is linked to, for the header bar: its own picture in a
 * button, and a popover with its number and, when the instance is not ready, what to do. It
 * takes a client and nothing else, so it can show any instance. getWaSettings gives the number
 * and picture; where its phone is empty, getSettings' wid gives the number.
 *
 * Given the list of instances (ga_account_button_set_instances()) and more than one of them,
 * the button also shows the current instance's label, and the popover holds a
 * GaInstanceSwitcher under the account. With one instance it looks as it always did.
 */

struct _GaAccountButton
{
  GtkWidget parent_instance;

  /* Template children */
  GtkWidget *button;
  AdwAvatar *small_avatar;
  GtkWidget *popover;
  AdwAvatar *large_avatar;
  GtkLabel *number_label;
  GtkLabel *state_label;
  GtkWidget *refresh_button;
  GtkLabel *instance_label;
  GtkWidget *popover_box;
  GtkWidget *account_box;
  GtkWidget *switcher_separator;

  GaInstances *instances;       /* (owned) (nullable) */
  GaInstance *watched;          /* (owned) (nullable): the current entry, for its label */
  GtkWidget *switcher;          /* (nullable): in popover_box while there are 2+ instances */
  GaClient *client;             /* (owned) (nullable) */
  GCancellable *cancellable;    /* (owned) (nullable): the requests in flight */
  char *chat_id;                /* (owned) (nullable): the linked account's chat ID */
  GaAccountButtonState state;
  gboolean has_picture;
};

G_DEFINE_FINAL_TYPE (GaAccountButton, ga_account_button, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_CHAT_ID,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

typedef struct
{
  GaAccountButton *self;        /* (owned) */
  GCancellable *cancellable;    /* (owned) */
} Request;

static Request *
request_new (GaAccountButton *self)
{
  Request *request = g_new0 (Request, 1);

  request->self = g_object_ref (self);
  request->cancellable = g_object_ref (self->cancellable);

  return request;
}

static void
request_free (Request *request)
{
  g_clear_object (&request->self);
  g_clear_object (&request->cancellable);
  g_free (request);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Request, request_free)

static gboolean
request_is_current (Request      *request,
                    const GError *error)
{
  return !g_cancellable_is_cancelled (request->cancellable) &&
         !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) &&
         request->self->cancellable == request->cancellable;
}

static void
set_texture (GaAccountButton *self,
             GdkTexture      *texture)
{
  adw_avatar_set_custom_image (self->small_avatar, GDK_PAINTABLE (texture));
  adw_avatar_set_custom_image (self->large_avatar, GDK_PAINTABLE (texture));
  self->has_picture = texture != NULL;
}

static void
set_chat_id (GaAccountButton *self,
             const char      *chat_id)
{
  g_autofree char *number = NULL;

  if (g_strcmp0 (self->chat_id, chat_id) != 0)
    {
      g_free (self->chat_id);
      self->chat_id = g_strdup (chat_id);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CHAT_ID]);
    }

  number = ga_text_format_chat_id (chat_id);
  gtk_label_set_text (self->number_label, number);
  gtk_widget_set_visible (GTK_WIDGET (self->number_label), number != NULL);
  adw_avatar_set_text (self->large_avatar, number);
}

static void
set_state (GaAccountButton      *self,
           GaAccountButtonState  state,
           const char           *text)
{
  self->state = state;
  gtk_label_set_text (self->state_label, text);
  gtk_widget_set_visible (GTK_WIDGET (self->state_label), text != NULL);
  gtk_widget_set_sensitive (self->refresh_button,
                            self->client != NULL && state != GA_ACCOUNT_BUTTON_STATE_LOADING);

  /* A warning colour on the button when the instance needs attention. */
  if (state == GA_ACCOUNT_BUTTON_STATE_NOT_READY || state == GA_ACCOUNT_BUTTON_STATE_FAILED)
    gtk_widget_add_css_class (self->button, "warning");
  else
    gtk_widget_remove_css_class (self->button, "warning");
}

static void
decode_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(Request) request = user_data;
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GError) error = NULL;

  texture = ga_image_decode_finish (result, &error);
  if (!request_is_current (request, error))
    return;

  if (texture != NULL)
    set_texture (request->self, texture);
  else
    g_debug ("The account's picture could not be decoded: %s", error->message);
}

static void
download_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(Request) request = user_data;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  GCancellable *cancellable;

  bytes = ga_download_finish (result, &error);
  if (!request_is_current (request, error))
    return;

  if (bytes == NULL)
    {
      /* The number is what matters; the initials stand in for the picture. */
      g_debug ("The account's picture could not be downloaded: %s", error->message);
      return;
    }

  cancellable = request->cancellable;
  ga_image_decode_async (bytes, cancellable, decode_cb, g_steal_pointer (&request));
}

static void
settings_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(Request) request = user_data;
  g_autoptr(GaAccount) account = NULL;
  g_autoptr(GError) error = NULL;

  account = ga_client_get_settings_finish (GA_CLIENT (object), result, &error);
  if (!request_is_current (request, error))
    return;

  if (account != NULL && ga_account_get_chat_id (account) != NULL)
    set_chat_id (request->self, ga_account_get_chat_id (account));
}

static void
wa_settings_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(Request) request = user_data;
  g_autoptr(GaAccount) account = NULL;
  g_autoptr(GError) error = NULL;
  GaAccountButton *self = request->self;
  GaInstanceState state;
  const char *url;

  account = ga_client_get_wa_settings_finish (GA_CLIENT (object), result, &error);
  if (!request_is_current (request, error))
    return;

  if (account == NULL)
    {
      g_autofree char *text = g_strdup_printf (_("The linked account could not be read: %s"),
                                               error->message);

      set_chat_id (self, NULL);
      set_state (self, GA_ACCOUNT_BUTTON_STATE_FAILED, text);
      return;
    }

  state = ga_account_get_state (account);
  if (state != GA_INSTANCE_STATE_AUTHORIZED && state != GA_INSTANCE_STATE_UNKNOWN &&
      state != GA_INSTANCE_STATE_YELLOW_CARD)
    {
      set_chat_id (self, ga_account_get_chat_id (account));
      set_state (self, GA_ACCOUNT_BUTTON_STATE_NOT_READY, ga_response_describe_state (state));
      return;
    }

  set_chat_id (self, ga_account_get_chat_id (account));
  /* yellowCard works but keeps its advice in view. */
  set_state (self, GA_ACCOUNT_BUTTON_STATE_LINKED,
             state == GA_INSTANCE_STATE_YELLOW_CARD ? ga_response_describe_state (state) : NULL);

  /* No phone in getWaSettings: getSettings' wid says which account it is. */
  if (ga_account_get_chat_id (account) == NULL)
    ga_client_get_settings_async (GA_CLIENT (object), request->cancellable, settings_cb,
                                  request_new (self));

  url = ga_account_get_avatar_url (account);
  if (url != NULL)
    ga_download_async (ga_client_get_session (GA_CLIENT (object)), url,
                       ga_client_get_image_timeout_seconds (GA_CLIENT (object)),
                       request->cancellable, download_cb, request_new (self));
}

static void current_label_cb (GaAccountButton *self);

/* The label and the switcher follow the list: shown from two instances on. */
static void
update_instances (GaAccountButton *self)
{
  guint n = self->instances != NULL ? g_list_model_get_n_items (G_LIST_MODEL (self->instances))
                                    : 0;
  GaInstance *current = self->instances != NULL ? ga_instances_get_current (self->instances)
                                                : NULL;
  gboolean several = n > 1;

  if (several && self->switcher == NULL)
    {
      self->switcher = ga_instance_switcher_new (self->instances);
      gtk_box_append (GTK_BOX (self->popover_box), self->switcher);
    }
  else if (!several && self->switcher != NULL)
    {
      gtk_box_remove (GTK_BOX (self->popover_box), self->switcher);
      self->switcher = NULL;
    }

  gtk_widget_set_visible (self->switcher_separator,
                          several && gtk_widget_get_visible (self->account_box));
  gtk_widget_set_visible (GTK_WIDGET (self->instance_label), several && current != NULL);
  gtk_label_set_text (self->instance_label,
                      current != NULL ? ga_instance_get_label (current) : NULL);
  if (several)
    {
      gtk_widget_remove_css_class (self->button, "image-button");
      gtk_widget_add_css_class (self->button, "image-text-button");
      /* TRANSLATORS: the header button's tooltip with several instances. */
      gtk_widget_set_tooltip_text (self->button, _("Instance and Linked Account"));
    }
  else
    {
      gtk_widget_remove_css_class (self->button, "image-text-button");
      gtk_widget_add_css_class (self->button, "image-button");
      gtk_widget_set_tooltip_text (self->button, _("Linked WhatsApp Account"));
    }
}

/**
 * ga_account_button_refresh:
 * @self: a #GaAccountButton
 *
 * Asks again which account the instance is linked to.
 */
void
ga_account_button_refresh (GaAccountButton *self)
{
  g_return_if_fail (GA_IS_ACCOUNT_BUTTON (self));

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);

  gtk_widget_set_visible (self->account_box, self->client != NULL);
  update_instances (self);

  if (self->client == NULL)
    {
      set_chat_id (self, NULL);
      set_texture (self, NULL);
      set_state (self, GA_ACCOUNT_BUTTON_STATE_NONE, NULL);
      return;
    }

  self->cancellable = g_cancellable_new ();
  set_state (self, GA_ACCOUNT_BUTTON_STATE_LOADING, _("Checking the linked account…"));
  ga_client_get_wa_settings_async (self->client, self->cancellable, wa_settings_cb,
                                   request_new (self));
}

static void
refresh_clicked_cb (GaAccountButton *self,
                    GtkButton       *button)
{
  ga_account_button_refresh (self);
}

static void
ga_account_button_dispose (GObject *object)
{
  GaAccountButton *self = GA_ACCOUNT_BUTTON (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);

  if (self->instances != NULL)
    g_signal_handlers_disconnect_by_data (self->instances, self);
  g_clear_object (&self->instances);
  if (self->watched != NULL)
    g_signal_handlers_disconnect_by_func (self->watched, current_label_cb, self);
  g_clear_object (&self->watched);
  self->switcher = NULL;
  gtk_widget_dispose_template (GTK_WIDGET (self), GA_TYPE_ACCOUNT_BUTTON);
  g_clear_object (&self->client);

  G_OBJECT_CLASS (ga_account_button_parent_class)->dispose (object);
}

static void
ga_account_button_finalize (GObject *object)
{
  GaAccountButton *self = GA_ACCOUNT_BUTTON (object);

  g_free (self->chat_id);

  G_OBJECT_CLASS (ga_account_button_parent_class)->finalize (object);
}

static void
ga_account_button_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  GaAccountButton *self = GA_ACCOUNT_BUTTON (object);

  switch (prop_id)
    {
    case PROP_CHAT_ID:
      g_value_set_string (value, self->chat_id);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ga_account_button_class_init (GaAccountButtonClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ga_account_button_dispose;
  object_class->finalize = ga_account_button_finalize;
  object_class->get_property = ga_account_button_get_property;

  /**
   * GaAccountButton:chat-id:
   *
   * The linked account's chat ID, once known.
   */
  properties[PROP_CHAT_ID] =
    g_param_spec_string ("chat-id", NULL, NULL,
                         NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/ga-account-button.ui");
  gtk_widget_class_bind_template_child (widget_class, GaAccountButton, button);
  gtk_widget_class_bind_template_child (widget_class, GaAccountButton, small_avatar);
  gtk_widget_class_bind_template_child (widget_class, GaAccountButton, popover);
  gtk_widget_class_bind_template_child (widget_class, GaAccountButton, large_avatar);
  gtk_widget_class_bind_template_child (widget_class, GaAccountButton, number_label);
  gtk_widget_class_bind_template_child (widget_class, GaAccountButton, state_label);
  gtk_widget_class_bind_template_child (widget_class, GaAccountButton, refresh_button);
  gtk_widget_class_bind_template_child (widget_class, GaAccountButton, instance_label);
  gtk_widget_class_bind_template_child (widget_class, GaAccountButton, popover_box);
  gtk_widget_class_bind_template_child (widget_class, GaAccountButton, account_box);
  gtk_widget_class_bind_template_child (widget_class, GaAccountButton, switcher_separator);
  gtk_widget_class_bind_template_callback (widget_class, refresh_clicked_cb);
}

static void
ga_account_button_init (GaAccountButton *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  set_state (self, GA_ACCOUNT_BUTTON_STATE_NONE, NULL);
}

GtkWidget *
ga_account_button_new (void)
{
  return g_object_new (GA_TYPE_ACCOUNT_BUTTON, NULL);
}

/**
 * ga_account_button_set_client:
 * @self: a #GaAccountButton
 * @client: (nullable): the instance to show
 *
 * Shows the account @client's instance is linked to, asking for it now.
 */
void
ga_account_button_set_client (GaAccountButton *self,
                              GaClient        *client)
{
  g_return_if_fail (GA_IS_ACCOUNT_BUTTON (self));

  if (!g_set_object (&self->client, client))
    return;

  set_texture (self, NULL);
  ga_account_button_refresh (self);
}

static void
current_label_cb (GaAccountButton *self)
{
  update_instances (self);
}

static void
instances_changed_cb (GaAccountButton *self)
{
  GaInstance *current = self->instances != NULL ? ga_instances_get_current (self->instances)
                                                : NULL;

  /* The current entry's label may change under it (a rename in Preferences). */
  if (self->watched != current)
    {
      if (self->watched != NULL)
        g_signal_handlers_disconnect_by_func (self->watched, current_label_cb, self);
      g_set_object (&self->watched, current);
      if (current != NULL)
        g_signal_connect_swapped (current, "notify::label", G_CALLBACK (current_label_cb),
                                  self);
    }
  update_instances (self);
}

/**
 * ga_account_button_set_instances:
 * @self: a #GaAccountButton
 * @instances: (nullable): every instance, to switch between
 *
 * From two instances on, the button shows the current one's label and its popover lists
 * them all (GaInstanceSwitcher).
 */
void
ga_account_button_set_instances (GaAccountButton *self,
                                 GaInstances     *instances)
{
  g_return_if_fail (GA_IS_ACCOUNT_BUTTON (self));

  if (self->instances == instances)
    return;

  if (self->instances != NULL)
    g_signal_handlers_disconnect_by_data (self->instances, self);
  if (self->switcher != NULL)
    {
      gtk_box_remove (GTK_BOX (self->popover_box), self->switcher);
      self->switcher = NULL;
    }
  g_set_object (&self->instances, instances);
  if (instances != NULL)
    {
      g_signal_connect_object (instances, "items-changed", G_CALLBACK (instances_changed_cb),
                               self, G_CONNECT_SWAPPED);
      g_signal_connect_object (instances, "notify::current", G_CALLBACK (instances_changed_cb),
                               self, G_CONNECT_SWAPPED);
      instances_changed_cb (self);
    }
  else
    {
      instances_changed_cb (self);
    }
}

/* Whether the button lists instances to switch between (two or more). */
gboolean
ga_account_button_get_has_switcher (GaAccountButton *self)
{
  g_return_val_if_fail (GA_IS_ACCOUNT_BUTTON (self), FALSE);

  return self->switcher != NULL;
}

/* The switcher in the popover, or NULL (for tests). */
GtkWidget *
ga_account_button_get_switcher (GaAccountButton *self)
{
  g_return_val_if_fail (GA_IS_ACCOUNT_BUTTON (self), NULL);

  return self->switcher;
}

GaAccountButtonState
ga_account_button_get_state (GaAccountButton *self)
{
  g_return_val_if_fail (GA_IS_ACCOUNT_BUTTON (self), GA_ACCOUNT_BUTTON_STATE_NONE);

  return self->state;
}

/* The linked account's chat ID, or NULL while it is not known. */
const char *
ga_account_button_get_chat_id (GaAccountButton *self)
{
  g_return_val_if_fail (GA_IS_ACCOUNT_BUTTON (self), NULL);

  return self->chat_id;
}

gboolean
ga_account_button_get_has_picture (GaAccountButton *self)
{
  g_return_val_if_fail (GA_IS_ACCOUNT_BUTTON (self), FALSE);

  return self->has_picture;
}

/* Opens the popover (for tests and a keyboard shortcut). */
void
ga_account_button_popup (GaAccountButton *self)
{
  g_return_if_fail (GA_IS_ACCOUNT_BUTTON (self));

  gtk_menu_button_popup (GTK_MENU_BUTTON (self->button));
}
