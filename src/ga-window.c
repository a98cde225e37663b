/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "ga-window"

#include "config.h"

#include "ga-window.h"

#include "ga-account-button.h"
#include "ga-avatar-info.h"
#include "ga-chat-id.h"
#include "ga-client.h"
#include "ga-compare-dialog.h"
#include "ga-completion.h"
#include "ga-contact-card.h"
#include "ga-contact-list.h"
#include "ga-demo-server.h"
#include "ga-error-page.h"
#include "ga-lookup.h"
#include "ga-picture.h"
#include "ga-recent.h"
#include "ga-text.h"
#include "ga-window-private.h"

#include <glib/gi18n.h>

/* How long the window waits before it tries a rate-limited lookup once more by itself. */
#define AUTO_RETRY_SECONDS 3

struct _GaWindow
{
  AdwApplicationWindow parent_instance;

  /* Template children */
  AdwToastOverlay *toast_overlay;
  AdwWindowTitle *window_title;
  GtkWidget *demo_pill;
  GaAccountButton *account_button;
  GtkStack *main_stack;
  GtkWidget *welcome_page;
  GtkWidget *welcome_button;
  GtkEntry *entry;
  GtkMenuButton *recent_button;
  GMenu *recent_section;
  GtkLabel *entry_error;
  GtkStack *result_stack;
  GtkSpinner *spinner;
  GtkLabel *loading_label;
  GtkStack *picture_stack;
  GtkPicture *picture;
  AdwAvatar *placeholder;
  GaContactCard *contact_card;
  GtkLabel *chat_id_label;
  GtkWidget *picture_actions;
  GtkWidget *private_badge;
  GtkWidget *not_set_badge;
  GtkLabel *caption_label;
  GtkWidget *error_box;
  GtkImage *error_icon;
  GtkLabel *error_title;
  GtkLabel *error_description;
  GtkButton *error_button;
  GtkWidget *console_button;
  AdwPreferencesGroup *demo_group;

  GSettings *settings;          /* (owned) (nullable): window size and state */
  GaCredentials *credentials;   /* (owned) (nullable) */
  SoupSession *session;         /* (owned) (nullable) */
  GaCache *cache;               /* (owned) (nullable): pictures already seen */
  GaChatStatus *chat_status;    /* (owned) (nullable): each lookup's answer, for the search */
  GaInstances *instances;       /* (owned) (nullable): every instance, for the switcher */
  char *instance_id;            /* (owned) (nullable): the instance the shown answer came from */
  GaClient *client;             /* (owned) (nullable): made from the credentials when needed */
  GaContactList *contacts;      /* (owned) (nullable): names from getContacts, for this instance */
  GaCompletion *completion;     /* (owned): suggestions under the entry */
  GCancellable *contacts_cancellable; /* (owned) (nullable): the getContacts in flight */
  guint contacts_retry_id;      /* asks once more after an empty list */
  guint first_frame_id;         /* the tick that starts the contacts after the first frame */
  GCancellable *cancellable;    /* (owned) (nullable): the lookup in flight */
  char *last_chat_id;           /* (owned) (nullable): what F5 looks up again */
  GaWindowPicture *window_picture; /* (owned): save, copy, open, drag (ga-window-picture.c) */

  GaWindowState state;
  gboolean demo;
  gboolean settings_error;      /* the error shown asks to fix the preferences */
  gboolean lookup_waiting;      /* a lookup was asked for before the credentials were there */
  gboolean token_loading;       /* the token is still being read from the keyring */
  gboolean auto_retried;        /* the automatic retry after a rate limit was used up */
  guint auto_retry_id;          /* the timeout of that retry, or 0 */
  char *error_message;          /* (owned) (nullable): the message of the error shown */
};

G_DEFINE_FINAL_TYPE (GaWindow, ga_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_SETTINGS,
  PROP_CREDENTIALS,
  PROP_SESSION,
  PROP_CACHE,
  PROP_CHAT_STATUS,
  PROP_DEMO,
  PROP_INSTANCES,
  PROP_BUSY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void look_up_chat_id (GaWindow   *self,
                             const char *chat_id);

/* One lookup's callback data. The ref on the window keeps the object (not its widgets) alive
 * until the callback ran; the cancellable tells whether this lookup is still the current one. */
typedef struct
{
  GaWindow *self;               /* (owned) */
  GCancellable *cancellable;    /* (owned) */
} LookupData;

static void
lookup_data_free (LookupData *data)
{
  g_clear_object (&data->self);
  g_clear_object (&data->cancellable);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LookupData, lookup_data_free)

static void
update_actions (GaWindow *self)
{
  gboolean busy = self->cancellable != NULL || self->auto_retry_id != 0;
  gboolean ready = self->credentials != NULL && ga_credentials_is_complete (self->credentials);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.cancel", busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.lookup", ready);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.retry",
                                 ready && self->last_chat_id != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.compare",
                                 self->credentials != NULL && self->last_chat_id != NULL);
}

static void
update_picture_actions (GaWindow *self)
{
  gboolean shown = ga_window_picture_get (self->window_picture) != NULL &&
                   (self->state == GA_WINDOW_STATE_PICTURE ||
                    self->state == GA_WINDOW_STATE_CACHED);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.save-picture", shown);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.copy-picture", shown);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.open-picture", shown);
  gtk_widget_set_visible (self->picture_actions, shown);
}

static void
set_shown_picture (GaWindow   *self,
                   const char *chat_id,
                   GdkTexture *texture,
                   GBytes     *bytes)
{
  g_autoptr(GaPicture) picture = NULL;

  if (texture != NULL)
    picture = ga_picture_new (chat_id, texture, bytes);
  ga_window_picture_set (self->window_picture, picture);
}

/* A history row: the name the contact list knows and the number, else the chat ID. Menu
 * labels take "_" as a mnemonic, so a name's own underscores are doubled. */
static char *
recent_label (GaWindow   *self,
              const char *chat_id)
{
  GaContact *contact = self->contacts != NULL ? ga_contact_list_lookup (self->contacts, chat_id)
                                              : NULL;
  g_autofree char *name = NULL;
  g_autofree char *number = NULL;
  g_autofree char *label = NULL;
  g_auto(GStrv) parts = NULL;

  if (contact != NULL)
    name = ga_text_for_display (ga_contact_get_display_name (contact), 60, GA_TEXT_ONE_LINE);
  if (name == NULL)
    return g_strdup (chat_id);

  number = ga_text_format_chat_id (chat_id);
  label = g_strdup_printf ("%s, %s", name, number);
  parts = g_strsplit (label, "_", -1);

  return g_strjoinv ("__", parts);
}

/* The recent lookups menu, from the settings; the button shows only when it has something. */
static void
update_recent (GaWindow *self)
{
  g_auto(GStrv) chats = NULL;

  g_menu_remove_all (self->recent_section);

  if (self->settings != NULL)
    chats = ga_recent_get (self->settings);

  for (guint i = 0; chats != NULL && chats[i] != NULL; i++)
    {
      g_autofree char *label = recent_label (self, chats[i]);
      g_autoptr(GMenuItem) item = g_menu_item_new (label, NULL);
      GdkTexture *texture = self->cache != NULL ? ga_cache_peek_chat (self->cache, chats[i])
                                                : NULL;

      /* A small picture for the chats the cache holds in memory. */
      if (texture != NULL)
        g_menu_item_set_icon (item, G_ICON (texture));

      g_menu_item_set_action_and_target (item, "win.look-up-chat", "s", chats[i]);
      g_menu_append_item (self->recent_section, item);
    }

  gtk_widget_set_visible (GTK_WIDGET (self->recent_button),
                          chats != NULL && chats[0] != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.show-recent",
                                 chats != NULL && chats[0] != NULL);
}

static void
set_state (GaWindow      *self,
           GaWindowState  state)
{
  self->state = state;

  switch (state)
    {
    case GA_WINDOW_STATE_WELCOME:
      gtk_stack_set_visible_child_name (self->main_stack, "welcome");
      break;

    case GA_WINDOW_STATE_EMPTY:
      gtk_stack_set_visible_child_name (self->main_stack, "lookup");
      gtk_stack_set_visible_child_name (self->result_stack, "empty");
      break;

    case GA_WINDOW_STATE_LOADING:
      gtk_stack_set_visible_child_name (self->main_stack, "lookup");
      gtk_stack_set_visible_child_name (self->result_stack, "loading");
      break;

    case GA_WINDOW_STATE_PICTURE:
    case GA_WINDOW_STATE_PRIVATE:
    case GA_WINDOW_STATE_NOT_SET:
    case GA_WINDOW_STATE_CACHED:
      gtk_stack_set_visible_child_name (self->main_stack, "lookup");
      gtk_stack_set_visible_child_name (self->result_stack, "result");
      break;

    case GA_WINDOW_STATE_ERROR:
      gtk_stack_set_visible_child_name (self->main_stack, "lookup");
      gtk_stack_set_visible_child_name (self->result_stack, "error");
      break;

    default:
      g_assert_not_reached ();
    }

  /* The spinner only runs while it can be seen. */
  gtk_spinner_set_spinning (self->spinner, state == GA_WINDOW_STATE_LOADING);
  update_picture_actions (self);
}

static void
set_busy (GaWindow     *self,
          GCancellable *cancellable)
{
  gboolean was_busy = self->cancellable != NULL;

  g_set_object (&self->cancellable, cancellable);
  update_actions (self);

  if (was_busy != (cancellable != NULL))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static void
cancel_lookup (GaWindow *self)
{
  if (self->cancellable != NULL)
    {
      g_cancellable_cancel (self->cancellable);
      set_busy (self, NULL);
    }
}

static void
show_entry_error (GaWindow   *self,
                  const char *message)
{
  gtk_label_set_text (self->entry_error, message);
  gtk_widget_set_visible (GTK_WIDGET (self->entry_error), message != NULL);

  if (message != NULL)
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->entry), "error");
      gtk_accessible_update_state (GTK_ACCESSIBLE (self->entry),
                                   GTK_ACCESSIBLE_STATE_INVALID, GTK_ACCESSIBLE_INVALID_TRUE,
                                   -1);
      gtk_accessible_update_relation (GTK_ACCESSIBLE (self->entry),
                                      GTK_ACCESSIBLE_RELATION_DESCRIBED_BY,
                                      self->entry_error, NULL,
                                      -1);
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->entry), "error");
      gtk_accessible_reset_state (GTK_ACCESSIBLE (self->entry), GTK_ACCESSIBLE_STATE_INVALID);
      gtk_accessible_reset_relation (GTK_ACCESSIBLE (self->entry),
                                     GTK_ACCESSIBLE_RELATION_DESCRIBED_BY);
    }
}

/* Which page fits the credentials: the first-run page until all three values are there. */
static void
update_page (GaWindow *self)
{
  gboolean ready = self->credentials != NULL && ga_credentials_is_complete (self->credentials);

  if (!ready && self->token_loading)
    {
      /* The token is on its way from the keyring: no first-run page for a person who has set
       * everything up, just the (not yet usable) lookup page. */
      if (self->state == GA_WINDOW_STATE_WELCOME)
        set_state (self, GA_WINDOW_STATE_EMPTY);
    }
  else if (!ready)
    {
      cancel_lookup (self);
      set_state (self, GA_WINDOW_STATE_WELCOME);
    }
  else if (self->state == GA_WINDOW_STATE_WELCOME)
    {
      set_state (self, GA_WINDOW_STATE_EMPTY);
    }

  update_actions (self);
}

/* Whether the window asks for names and cards beside the picture (a preference: each card is
 * one more request). */
static gboolean
contacts_enabled (GaWindow *self)
{
  return self->settings != NULL && g_settings_get_boolean (self->settings, "contact-details");
}

/* "Not set / no account" until Check Account has made it exact. */
static void
update_not_set_badge (GaWindow *self)
{
  GaAccountCheck check = ga_contact_card_get_account_check (self->contact_card);

  gboolean exact = check == GA_ACCOUNT_CHECK_NO_PICTURE || check == GA_ACCOUNT_CHECK_NO_ACCOUNT;

  gtk_widget_set_visible (self->not_set_badge, self->state == GA_WINDOW_STATE_NOT_SET && !exact);
  /* The caption's "or" no longer applies once the card's badge says which. */
  if (self->state == GA_WINDOW_STATE_NOT_SET)
    gtk_widget_set_visible (GTK_WIDGET (self->caption_label), !exact);
}

/* The card starts with the lookup, beside getAvatar, and never holds up the picture. */
static void
load_card (GaWindow   *self,
           GaClient   *client,
           const char *chat_id)
{
  gboolean enabled = contacts_enabled (self);

  gtk_widget_set_visible (GTK_WIDGET (self->contact_card), enabled);
  gtk_widget_set_visible (GTK_WIDGET (self->chat_id_label), !enabled);

  if (!enabled)
    {
      ga_contact_card_clear (self->contact_card);
      return;
    }

  ga_contact_card_set_client (self->contact_card, client);
  ga_contact_card_set_settings (self->contact_card, self->settings);
  ga_contact_card_set_cache_directory (self->contact_card,
                                       self->cache != NULL && !self->demo ?
                                       ga_cache_get_directory (self->cache) : NULL);
  ga_contact_card_load (self->contact_card, chat_id);
}

static void
show_result (GaWindow       *self,
             GaLookupResult *result)
{
  GaAvatarInfo *info = ga_lookup_result_get_info (result);
  GdkTexture *texture = ga_lookup_result_get_texture (result);
  const char *chat_id = ga_avatar_info_get_chat_id (info);
  GaAvatarState avatar_state = ga_avatar_info_get_state (info);
  const char *caption = NULL;

  gtk_label_set_text (self->chat_id_label, chat_id);
  set_shown_picture (self, chat_id, texture, ga_lookup_result_get_bytes (result));

  /* Only chats GREEN-API answered for are worth offering again. */
  if (self->settings != NULL)
    ga_recent_add (self->settings, chat_id);
  if (self->chat_status != NULL)
    ga_chat_status_record (self->chat_status, chat_id, avatar_state,
                           g_get_real_time () / G_USEC_PER_SEC);

  if (texture != NULL)
    {
      g_autofree char *alt = g_strdup_printf (_("Profile picture of %s"), chat_id);

      gtk_picture_set_paintable (self->picture, GDK_PAINTABLE (texture));
      gtk_picture_set_alternative_text (self->picture, alt);
      gtk_stack_set_visible_child_name (self->picture_stack, "picture");
      self->state = GA_WINDOW_STATE_PICTURE;
    }
  else
    {
      gtk_picture_set_paintable (self->picture, NULL);
      adw_avatar_set_text (self->placeholder, chat_id);
      gtk_stack_set_visible_child_name (self->picture_stack, "placeholder");

      if (avatar_state == GA_AVATAR_STATE_PRIVATE)
        {
          caption = _("This chat’s privacy settings hide its picture from your WhatsApp "
                      "account.");
          self->state = GA_WINDOW_STATE_PRIVATE;
        }
      else
        {
          caption = _("No picture is set for this chat, or the number has no WhatsApp "
                      "account.");
          self->state = GA_WINDOW_STATE_NOT_SET;
        }
    }

  ga_contact_card_set_no_picture (self->contact_card, self->state == GA_WINDOW_STATE_NOT_SET);
  gtk_widget_set_visible (self->private_badge, self->state == GA_WINDOW_STATE_PRIVATE);
  gtk_label_set_text (self->caption_label, caption);
  gtk_widget_set_visible (GTK_WIDGET (self->caption_label), caption != NULL);
  update_not_set_badge (self);

  set_state (self, self->state);
}

/* Shows the picture @chat_id had last time while getAvatar checks it is still the current one:
 * on a repeat lookup, the picture is there at once instead of after two round trips. */
static void
show_cached (GaWindow   *self,
             const char *chat_id,
             GdkTexture *texture,
             GBytes     *bytes)
{
  g_autofree char *alt = g_strdup_printf (_("Saved profile picture of %s"), chat_id);

  gtk_label_set_text (self->chat_id_label, chat_id);
  /* From memory there are no encoded bytes any more: that copy is saved as PNG. */
  set_shown_picture (self, chat_id, texture, bytes);
  gtk_picture_set_paintable (self->picture, GDK_PAINTABLE (texture));
  gtk_picture_set_alternative_text (self->picture, alt);
  gtk_stack_set_visible_child_name (self->picture_stack, "picture");
  gtk_widget_set_visible (self->private_badge, FALSE);
  gtk_widget_set_visible (self->not_set_badge, FALSE);
  gtk_label_set_text (self->caption_label,
                      _("Saved copy. Checking whether it is still the current picture…"));
  gtk_widget_set_visible (GTK_WIDGET (self->caption_label), TRUE);

  set_state (self, GA_WINDOW_STATE_CACHED);
}

/* The error's explanation, on screen and for screen readers alike. */
static void
set_error_description (GaWindow   *self,
                       const char *text)
{
  gtk_label_set_text (self->error_description, text);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->error_box),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text,
                                  -1);
}

static gboolean
auto_retry_cb (gpointer user_data)
{
  GaWindow *self = user_data;

  self->auto_retry_id = 0;
  self->auto_retried = TRUE;
  if (self->last_chat_id != NULL)
    look_up_chat_id (self, self->last_chat_id);

  return G_SOURCE_REMOVE;
}

/* The page of ga-error-page.c for @error; input the core refused goes under the entry. */
static void
show_error (GaWindow     *self,
            const GError *error)
{
  const GaErrorPage *page = ga_error_page_get (error);
  const char *title = _(page->title);
  gboolean auto_retry = page->auto_retry && !self->auto_retried;

  if (error->domain == GA_CHAT_ID_ERROR)
    {
      /* The core refused the input before any request. */
      show_entry_error (self, error->message);
      set_state (self, GA_WINDOW_STATE_EMPTY);
      return;
    }

  if (page->entry_message != NULL)
    show_entry_error (self, _(page->entry_message));

  gtk_image_set_from_icon_name (self->error_icon, page->icon_name);
  gtk_label_set_text (self->error_title, title);
  g_free (self->error_message);
  self->error_message = g_strdup (error->message);

  if (auto_retry)
    {
      g_autofree char *text = NULL;

      text = g_strdup_printf ("%s\n%s", error->message, _("Trying again in a few seconds…"));
      set_error_description (self, text);
      self->auto_retry_id = g_timeout_add_seconds (AUTO_RETRY_SECONDS, auto_retry_cb, self);
      update_actions (self);
    }
  else
    {
      set_error_description (self, error->message);
    }
  gtk_widget_set_visible (self->console_button, page->console);

  self->settings_error = page->action == GA_ERROR_PAGE_ACTION_PREFERENCES;
  if (page->action == GA_ERROR_PAGE_ACTION_RETRY)
    {
      gtk_button_set_label (self->error_button, _("_Try Again"));
      gtk_actionable_set_action_name (GTK_ACTIONABLE (self->error_button), "win.retry");
    }
  else if (page->action == GA_ERROR_PAGE_ACTION_PREFERENCES)
    {
      gtk_button_set_label (self->error_button, _("Open _Preferences"));
      gtk_actionable_set_action_name (GTK_ACTIONABLE (self->error_button), "app.preferences");
    }
  else
    {
      gtk_actionable_set_action_name (GTK_ACTIONABLE (self->error_button), NULL);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->error_button),
                          page->action != GA_ERROR_PAGE_ACTION_NONE);

  /* An alert: screen readers say what went wrong as it appears. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->error_box),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, title,
                                  -1);

  set_state (self, GA_WINDOW_STATE_ERROR);
}

static void
lookup_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(LookupData) data = user_data;
  g_autoptr(GaLookupResult) lookup = NULL;
  g_autoptr(GError) error = NULL;
  GaWindow *self = data->self;

  lookup = ga_lookup_finish (GA_CLIENT (object), result, &error);

  /* Cancelled: by a newer lookup, by Escape, or because the window went away. Either way
   * somebody else owns the UI now (or there is none), so touch nothing. */
  if (g_cancellable_is_cancelled (data->cancellable) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      self->cancellable != data->cancellable)
    return;

  set_busy (self, NULL);

  if (lookup == NULL)
    show_error (self, error);
  else
    show_result (self, lookup);
}

static void
load_cached_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(LookupData) data = user_data;
  g_autoptr(GaCachedAvatar) cached = NULL;
  GaWindow *self = data->self;

  cached = ga_cache_load_chat_finish (GA_CACHE (object), result, NULL);

  /* Only while this lookup is the current one and has not answered yet. */
  if (cached == NULL ||
      ga_cached_avatar_get_texture (cached) == NULL ||
      g_cancellable_is_cancelled (data->cancellable) ||
      self->cancellable != data->cancellable ||
      self->state != GA_WINDOW_STATE_LOADING ||
      self->last_chat_id == NULL)
    return;

  show_cached (self, self->last_chat_id, ga_cached_avatar_get_texture (cached),
               ga_cached_avatar_get_bytes (cached));
}

static GaClient *
ensure_client (GaWindow *self)
{
  if (self->client == NULL && self->credentials != NULL && self->session != NULL)
    self->client = ga_credentials_create_client (self->credentials, self->session);

  return self->client;
}

/* Names: getContacts after the first frame, then on demand, at most every five minutes and
 * once more after an empty answer; the list is kept on disk beside the picture cache. */

static void fetch_contacts (GaWindow *self);

static gboolean
contacts_retry_cb (gpointer user_data)
{
  GaWindow *self = user_data;

  self->contacts_retry_id = 0;
  fetch_contacts (self);

  return G_SOURCE_REMOVE;
}

static void
contacts_updated_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(LookupData) data = user_data;
  g_autoptr(GError) error = NULL;
  GaWindow *self = data->self;

  /* Done either way: the next fetch may start (at most every five minutes). */
  if (self->contacts_cancellable == data->cancellable)
    g_clear_object (&self->contacts_cancellable);

  if (!ga_contact_list_update_finish (GA_CONTACT_LIST (object), result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_debug ("The contact list could not be read: %s", error->message);
      return;
    }

  /* The API says new contacts can take five minutes to appear. */
  if (GA_CONTACT_LIST (object) == self->contacts && ga_contact_list_wants_retry (self->contacts) &&
      self->contacts_retry_id == 0)
    self->contacts_retry_id = g_timeout_add_seconds (GA_CONTACT_LIST_REFRESH_INTERVAL /
                                                     G_TIME_SPAN_SECOND,
                                                     contacts_retry_cb, self);
}

static void
contacts_fetched_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(LookupData) data = user_data;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  GaWindow *self = data->self;
  GCancellable *cancellable;

  bytes = ga_client_get_contacts_finish (GA_CLIENT (object), result, &error);
  if (g_cancellable_is_cancelled (data->cancellable) ||
      self->contacts_cancellable != data->cancellable || self->contacts == NULL)
    return;

  if (bytes == NULL)
    {
      g_debug ("No contact list: %s", error->message);
      g_clear_object (&self->contacts_cancellable);
      return;
    }

  cancellable = data->cancellable;
  ga_contact_list_update_async (self->contacts, bytes, cancellable, contacts_updated_cb,
                                g_steal_pointer (&data));
}

static void
fetch_contacts (GaWindow *self)
{
  g_autoptr(GaClient) client = NULL;
  LookupData *data;

  if (self->contacts == NULL || self->contacts_cancellable != NULL ||
      self->credentials == NULL || self->session == NULL ||
      !ga_credentials_is_complete (self->credentials) ||
      !ga_contact_list_should_fetch (self->contacts, g_get_real_time ()))
    return;

  /* A client of its own, so the list waits behind what a person is waiting for. */
  client = ga_credentials_create_client (self->credentials, self->session);
  if (client == NULL)
    return;
  g_object_set (client, "priority", GA_REQUEST_PRIORITY_BATCH, NULL);

  self->contacts_cancellable = g_cancellable_new ();
  data = g_new0 (LookupData, 1);
  data->self = g_object_ref (self);
  data->cancellable = g_object_ref (self->contacts_cancellable);
  ga_client_get_contacts_async (client, self->contacts_cancellable, contacts_fetched_cb, data);
}

static void
contacts_loaded_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(LookupData) data = user_data;

  ga_contact_list_load_finish (GA_CONTACT_LIST (object), result, NULL);
  if (g_cancellable_is_cancelled (data->cancellable) ||
      GA_CONTACT_LIST (object) != data->self->contacts)
    return;

  fetch_contacts (data->self);
}

/* (Re)starts the names and the linked account for the credentials of now. */
static void
start_contacts (GaWindow *self)
{
  gboolean ready = self->credentials != NULL && ga_credentials_is_complete (self->credentials);
  gboolean enabled = contacts_enabled (self) && ready;
  LookupData *data;

  if (self->contacts_cancellable != NULL)
    g_cancellable_cancel (self->contacts_cancellable);
  g_clear_object (&self->contacts_cancellable);
  g_clear_handle_id (&self->contacts_retry_id, g_source_remove);
  g_clear_object (&self->contacts);
  ga_contact_card_set_contact_list (self->contact_card, NULL);
  ga_completion_set_contact_list (self->completion, NULL);

  /* With several instances the button is also the switcher: shown even without an account. */
  gtk_widget_set_visible (GTK_WIDGET (self->account_button),
                          enabled || ga_account_button_get_has_switcher (self->account_button));
  ga_account_button_set_client (self->account_button, enabled ? ensure_client (self) : NULL);

  if (!enabled)
    return;

  /* The demo keeps nothing on disk. */
  self->contacts = ga_contact_list_new (self->cache != NULL && !self->demo ?
                                        ga_cache_get_directory (self->cache) : NULL,
                                        ga_credentials_get_id_instance (self->credentials));
  ga_contact_card_set_contact_list (self->contact_card, self->contacts);
  ga_completion_set_contact_list (self->completion, self->contacts);
  g_signal_connect_object (self->contacts, "changed", G_CALLBACK (update_recent), self,
                           G_CONNECT_SWAPPED);

  self->contacts_cancellable = g_cancellable_new ();
  data = g_new0 (LookupData, 1);
  data->self = g_object_ref (self);
  data->cancellable = g_object_ref (self->contacts_cancellable);
  ga_contact_list_load_async (self->contacts, self->contacts_cancellable, contacts_loaded_cb, data);
  /* Loading is not fetching: let fetch_contacts() run when it is done. */
  g_clear_object (&self->contacts_cancellable);
}

static gboolean
first_frame_cb (GtkWidget     *widget,
                GdkFrameClock *clock,
                gpointer       user_data)
{
  GaWindow *self = GA_WINDOW (widget);

  self->first_frame_id = 0;
  start_contacts (self);

  return G_SOURCE_REMOVE;
}

static void
completion_chosen_cb (GaWindow     *self,
                      const char   *chat_id,
                      GaCompletion *completion)
{
  ga_window_look_up (self, chat_id);
}

/* Opening the suggestions is a good moment to refresh the names (at most every 5 minutes). */
static void
entry_focus_cb (GaWindow *self)
{
  fetch_contacts (self);
}

static void
account_chat_id_cb (GaWindow        *self,
                    GParamSpec      *pspec,
                    GaAccountButton *button)
{
  ga_contact_card_set_own_chat_id (self->contact_card, ga_account_button_get_chat_id (button));
}

/* Starts the lookup of @chat_id, a canonical chat ID; the entry is left as it is. */
static void
look_up_chat_id (GaWindow   *self,
                 const char *chat_id)
{
  g_autoptr(GCancellable) cancellable = NULL;
  g_autofree char *loading = NULL;
  LookupData *data;
  GaClient *client;

  g_clear_handle_id (&self->auto_retry_id, g_source_remove);
  update_actions (self);
  show_entry_error (self, NULL);

  client = ensure_client (self);
  if (client == NULL)
    {
      self->lookup_waiting = TRUE;
      update_page (self);
      return;
    }

  self->lookup_waiting = FALSE;

  cancel_lookup (self);

  if (self->last_chat_id != chat_id)
    {
      g_free (self->last_chat_id);
      self->last_chat_id = g_strdup (chat_id);
    }

  cancellable = g_cancellable_new ();
  set_busy (self, cancellable);

  loading = g_strdup_printf (_("Looking up %s…"), chat_id);
  gtk_label_set_text (self->loading_label, loading);
  set_state (self, GA_WINDOW_STATE_LOADING);

  data = g_new0 (LookupData, 1);
  data->self = g_object_ref (self);
  data->cancellable = g_object_ref (cancellable);
  if (self->cache != NULL)
    ga_lookup_with_cache_async (client, self->cache, chat_id, cancellable, lookup_cb, data);
  else
    ga_lookup_async (client, chat_id, cancellable, lookup_cb, data);

  load_card (self, client, chat_id);

  /* A picture seen before shows at once: from memory in this very frame, else from disk. */
  if (self->cache != NULL)
    {
      GdkTexture *texture = ga_cache_peek_chat (self->cache, chat_id);

      if (texture != NULL)
        {
          show_cached (self, chat_id, texture, NULL);
        }
      else
        {
          data = g_new0 (LookupData, 1);
          data->self = g_object_ref (self);
          data->cancellable = g_object_ref (cancellable);
          ga_cache_load_chat_async (self->cache, chat_id, cancellable, load_cached_cb, data);
        }
    }
}

/* Where typed text becomes a chat ID: parses @input once and looks it up. Input the core
 * refuses is explained under the entry and makes no request. */
static void
look_up (GaWindow   *self,
         const char *input)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *chat_id = ga_chat_id_parse (input, NULL, &error);

  if (chat_id != NULL)
    {
      look_up_chat_id (self, chat_id);
      return;
    }

  /* A lookup in flight keeps going: a typo should not throw away a result. */
  g_clear_handle_id (&self->auto_retry_id, g_source_remove);
  update_actions (self);
  show_entry_error (self, error->message);
}

/**
 * ga_window_set_token_loading:
 * @self: a #GaWindow
 * @loading: whether the token is still being read from the keyring
 *
 * Lets the window show before the token has loaded (the keyring takes a while to answer)
 * without showing the first-run page meanwhile.
 */
void
ga_window_set_token_loading (GaWindow *self,
                             gboolean  loading)
{
  g_return_if_fail (GA_IS_WINDOW (self));

  self->token_loading = !!loading;
  update_page (self);
}

/**
 * ga_window_look_up:
 * @self: a #GaWindow
 * @input: what a person typed: a phone number in any form, a link or a chat ID
 *
 * Puts @input into the entry and looks it up, cancelling a lookup in flight. Input the core
 * refuses is explained under the entry and makes no request.
 */
void
ga_window_look_up (GaWindow   *self,
                   const char *input)
{
  g_return_if_fail (GA_IS_WINDOW (self));
  g_return_if_fail (input != NULL);

  ga_completion_set_blocked (self->completion, TRUE);
  if (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (self->entry)), input) != 0)
    gtk_editable_set_text (GTK_EDITABLE (self->entry), input);
  ga_completion_set_blocked (self->completion, FALSE);
  ga_completion_hide (self->completion);

  self->auto_retried = FALSE;
  look_up (self, input);
}

/**
 * ga_window_set_input:
 * @self: a #GaWindow
 * @text: what a person searched for elsewhere (GNOME Shell's search)
 *
 * Puts @text into the entry and focuses it, without looking it up: the person checks it and
 * presses Enter.
 */
void
ga_window_set_input (GaWindow   *self,
                     const char *text)
{
  g_return_if_fail (GA_IS_WINDOW (self));
  g_return_if_fail (text != NULL);

  gtk_editable_set_text (GTK_EDITABLE (self->entry), text);
  gtk_widget_grab_focus (GTK_WIDGET (self->entry));
  gtk_editable_set_position (GTK_EDITABLE (self->entry), -1);
}

/* Actions */

static void
lookup_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  GaWindow *self = GA_WINDOW (widget);

  ga_window_look_up (self, gtk_editable_get_text (GTK_EDITABLE (self->entry)));
}

static void
look_up_chat_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  GaWindow *self = GA_WINDOW (widget);

  ga_window_look_up (self, g_variant_get_string (parameter, NULL));
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  GaWindow *self = GA_WINDOW (widget);

  if (self->auto_retry_id != 0)
    {
      /* Escape stops the countdown; the error stays so the person knows what happened. */
      g_clear_handle_id (&self->auto_retry_id, g_source_remove);
      set_error_description (self, self->error_message);
      update_actions (self);
    }

  if (self->cancellable == NULL)
    return;

  cancel_lookup (self);
  set_state (self, GA_WINDOW_STATE_EMPTY);
}

static void
retry_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  GaWindow *self = GA_WINDOW (widget);

  self->auto_retried = FALSE;
  if (self->last_chat_id != NULL)
    look_up_chat_id (self, self->last_chat_id);
}

/* "Look up through every instance" (ga-compare-dialog.h), for the last chat looked up. */
static void
compare_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  GaWindow *self = GA_WINDOW (widget);
  GtkApplication *application = gtk_window_get_application (GTK_WINDOW (self));
  GaInstances *instances = NULL;

  if (self->last_chat_id == NULL || self->credentials == NULL)
    return;

  instances = self->instances;
  if (instances == NULL && GA_IS_APPLICATION (application))
    instances = ga_application_get_instances (GA_APPLICATION (application));

  ga_compare_dialog_present (GTK_WINDOW (self), instances, self->credentials, self->session,
                             self->last_chat_id);
}

static void
focus_entry_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  GaWindow *self = GA_WINDOW (widget);

  if (self->state == GA_WINDOW_STATE_WELCOME)
    return;

  gtk_widget_grab_focus (GTK_WIDGET (self->entry));
  gtk_editable_select_region (GTK_EDITABLE (self->entry), 0, -1);
}

static void
clear_history_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  GaWindow *self = GA_WINDOW (widget);

  if (self->settings != NULL)
    ga_recent_clear (self->settings);
}

static void
show_recent_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  GaWindow *self = GA_WINDOW (widget);

  if (gtk_widget_get_visible (GTK_WIDGET (self->recent_button)))
    gtk_menu_button_popup (self->recent_button);
}

/* Signal handlers */

static void
recent_changed_cb (GaWindow   *self,
                   const char *key,
                   GSettings  *settings)
{
  update_recent (self);
}

static void
entry_activate_cb (GaWindow *self,
                   GtkEntry *entry)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "win.lookup", NULL);
}

static void
entry_changed_cb (GaWindow *self,
                  GtkEntry *entry)
{
  /* The old complaint no longer describes what is typed. */
  show_entry_error (self, NULL);
}

static void
account_checked_cb (GaWindow      *self,
                    GaContactCard *card)
{
  update_not_set_badge (self);
}

static void
credentials_changed_cb (GaWindow      *self,
                        GaCredentials *credentials)
{
  g_autofree char *input = NULL;
  const char *id_instance = ga_credentials_get_id_instance (credentials);
  gboolean switched = g_strcmp0 (self->instance_id, id_instance) != 0;

  g_clear_object (&self->client);
  ga_contact_card_set_client (self->contact_card, NULL);

  /* Another instance: what shows was another account's answer. The chat is asked again
   * through this one (once its token is read), never shown as its answer meanwhile. */
  if (switched)
    {
      g_free (self->instance_id);
      self->instance_id = g_strdup (id_instance);
      if (self->last_chat_id != NULL && self->state != GA_WINDOW_STATE_EMPTY &&
          self->state != GA_WINDOW_STATE_WELCOME)
        {
          cancel_lookup (self);
          set_state (self, GA_WINDOW_STATE_EMPTY);
          self->lookup_waiting = TRUE;
          ga_window_set_input (self, self->last_chat_id);
        }
    }

  update_page (self);
  if (self->first_frame_id == 0)
    start_contacts (self);

  if (!ga_credentials_is_complete (credentials))
    return;

  if (self->lookup_waiting)
    {
      /* `green-avatar CHATID` on the first run: the chat waited in the entry for the setup. */
      input = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->entry)));
      look_up (self, input);
    }
  else if (self->state == GA_WINDOW_STATE_ERROR && self->settings_error &&
           self->last_chat_id != NULL)
    {
      /* The person went to the preferences because of this error: try with what they set. */
      look_up_chat_id (self, self->last_chat_id);
    }
}

/* The switcher chose another instance. Outside the demo GaCredentials follows the settings
 * that ga_instances_set_current() wrote; the demo's credentials live in memory and are told. */
static void
current_instance_cb (GaWindow *self)
{
  GaInstance *current = ga_instances_get_current (self->instances);

  if (current == NULL || self->credentials == NULL || !ga_credentials_get_demo (self->credentials))
    return;

  ga_credentials_save_async (self->credentials, ga_instance_get_api_url (current),
                             ga_instance_get_id_instance (current), NULL, NULL, NULL, NULL);
}

/* A second instance added or the last but one removed: the switcher comes or goes. */
static void
start_contacts_later (GaWindow *self)
{
  if (self->first_frame_id == 0)
    start_contacts (self);
}

static gboolean
ga_window_close_request (GtkWindow *window)
{
  GaWindow *self = GA_WINDOW (window);

  if (self->settings != NULL)
    {
      int width;
      int height;

      gtk_window_get_default_size (window, &width, &height);
      g_settings_delay (self->settings);
      g_settings_set_boolean (self->settings, "window-maximized",
                              gtk_window_is_maximized (window));
      if (!gtk_window_is_maximized (window) && width > 0 && height > 0)
        {
          g_settings_set_int (self->settings, "window-width", width);
          g_settings_set_int (self->settings, "window-height", height);
        }
      g_settings_apply (self->settings);
    }

  return GTK_WINDOW_CLASS (ga_window_parent_class)->close_request (window);
}

static void
add_demo_chats (GaWindow *self)
{
  const GaDemoChat *chats;
  guint n_chats;

  chats = ga_demo_server_get_chats (&n_chats);
  for (guint i = 0; i < n_chats; i++)
    {
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *arrow = gtk_image_new_from_icon_name ("go-next-symbolic");

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _(chats[i].title));
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), chats[i].chat_id);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), arrow);
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (row), "win.look-up-chat");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (row), "s", chats[i].chat_id);
      adw_preferences_group_add (self->demo_group, row);
    }
}

static void
ga_window_constructed (GObject *object)
{
  GaWindow *self = GA_WINDOW (object);

  G_OBJECT_CLASS (ga_window_parent_class)->constructed (object);

  if (self->settings != NULL)
    {
      int width = g_settings_get_int (self->settings, "window-width");
      int height = g_settings_get_int (self->settings, "window-height");

      gtk_window_set_default_size (GTK_WINDOW (self), MAX (width, 360), MAX (height, 400));
      if (g_settings_get_boolean (self->settings, "window-maximized"))
        gtk_window_maximize (GTK_WINDOW (self));
    }

  if (self->settings != NULL)
    {
      g_signal_connect_object (self->settings, "changed::recent-chats",
                               G_CALLBACK (recent_changed_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->settings, "changed::history-enabled",
                               G_CALLBACK (recent_changed_cb), self, G_CONNECT_SWAPPED);
    }
  update_recent (self);

  if (!self->demo)
    ga_window_picture_clean_temp_files ();

  if (self->credentials != NULL)
    {
      self->instance_id = g_strdup (ga_credentials_get_id_instance (self->credentials));
      g_signal_connect_object (self->credentials,
                               "changed",
                               G_CALLBACK (credentials_changed_cb),
                               self,
                               G_CONNECT_SWAPPED);
    }

  /* GREEN_API_* name a temporary instance of their own: nothing to switch to then. */
  if (self->instances != NULL &&
      (self->credentials == NULL ||
       !(ga_credentials_get_overridden (self->credentials) & GA_CREDENTIALS_FIELD_ID_INSTANCE)))
    {
      ga_account_button_set_instances (self->account_button, self->instances);
      g_signal_connect_object (self->instances, "notify::current",
                               G_CALLBACK (current_instance_cb), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (self->instances, "items-changed",
                               G_CALLBACK (start_contacts_later), self, G_CONNECT_SWAPPED);
    }

  if (self->demo)
    {
      adw_window_title_set_subtitle (self->window_title, _("Demo Mode"));
      gtk_widget_set_visible (self->demo_pill, TRUE);
      gtk_widget_set_visible (GTK_WIDGET (self->demo_group), TRUE);
      add_demo_chats (self);
    }

#if DEVELOPMENT_BUILD
  gtk_widget_add_css_class (GTK_WIDGET (self), "devel");
#endif

  ga_completion_set_settings (self->completion, self->settings);
  ga_completion_set_cache (self->completion, self->cache);
  g_signal_connect_object (self->completion, "chosen", G_CALLBACK (completion_chosen_cb), self,
                           G_CONNECT_SWAPPED);
  {
    GtkEventController *focus = gtk_event_controller_focus_new ();

    g_signal_connect_object (focus, "enter", G_CALLBACK (entry_focus_cb), self,
                             G_CONNECT_SWAPPED);
    gtk_widget_add_controller (GTK_WIDGET (self->entry), focus);
  }
  g_signal_connect_object (self->account_button, "notify::chat-id",
                           G_CALLBACK (account_chat_id_cb), self, G_CONNECT_SWAPPED);
  /* Names and the linked account wait until the window is on screen. */
  self->first_frame_id = gtk_widget_add_tick_callback (GTK_WIDGET (self), first_frame_cb,
                                                       NULL, NULL);

  set_state (self, GA_WINDOW_STATE_EMPTY);
  update_page (self);
}

static void
ga_window_dispose (GObject *object)
{
  GaWindow *self = GA_WINDOW (object);

  /* A lookup in flight ends quietly: its callback sees the cancellation and returns. */
  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->auto_retry_id, g_source_remove);
  if (self->contacts_cancellable != NULL)
    g_cancellable_cancel (self->contacts_cancellable);
  g_clear_object (&self->contacts_cancellable);
  g_clear_handle_id (&self->contacts_retry_id, g_source_remove);
  if (self->first_frame_id != 0)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self), self->first_frame_id);
  self->first_frame_id = 0;
  /* A save or a file for the viewer still being written finishes without the window. */
  if (self->window_picture != NULL)
    ga_window_picture_close (self->window_picture);
  g_clear_object (&self->window_picture);

  if (self->completion != NULL)
    ga_completion_detach (self->completion);
  g_clear_object (&self->completion);

  gtk_widget_dispose_template (GTK_WIDGET (self), GA_TYPE_WINDOW);

  g_clear_object (&self->client);
  g_clear_object (&self->contacts);
  g_clear_object (&self->credentials);
  g_clear_object (&self->session);
  g_clear_object (&self->cache);
  g_clear_object (&self->chat_status);
  g_clear_object (&self->instances);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (ga_window_parent_class)->dispose (object);
}

static void
ga_window_finalize (GObject *object)
{
  GaWindow *self = GA_WINDOW (object);

  g_free (self->last_chat_id);
  g_free (self->instance_id);
  g_free (self->error_message);

  G_OBJECT_CLASS (ga_window_parent_class)->finalize (object);
}

static void
ga_window_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  GaWindow *self = GA_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      g_value_set_object (value, self->settings);
      break;

    case PROP_CREDENTIALS:
      g_value_set_object (value, self->credentials);
      break;

    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;

    case PROP_CACHE:
      g_value_set_object (value, self->cache);
      break;

    case PROP_CHAT_STATUS:
      g_value_set_object (value, self->chat_status);
      break;

    case PROP_DEMO:
      g_value_set_boolean (value, self->demo);
      break;

    case PROP_INSTANCES:
      g_value_set_object (value, self->instances);
      break;

    case PROP_BUSY:
      g_value_set_boolean (value, ga_window_get_busy (self));
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ga_window_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  GaWindow *self = GA_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      self->settings = g_value_dup_object (value);
      break;

    case PROP_CREDENTIALS:
      self->credentials = g_value_dup_object (value);
      break;

    case PROP_SESSION:
      self->session = g_value_dup_object (value);
      break;

    case PROP_CACHE:
      self->cache = g_value_dup_object (value);
      break;

    case PROP_CHAT_STATUS:
      self->chat_status = g_value_dup_object (value);
      break;

    case PROP_DEMO:
      self->demo = g_value_get_boolean (value);
      break;

    case PROP_INSTANCES:
      self->instances = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ga_window_class_init (GaWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  g_type_ensure (GA_TYPE_ACCOUNT_BUTTON);
  g_type_ensure (GA_TYPE_CONTACT_CARD);

  object_class->constructed = ga_window_constructed;
  object_class->dispose = ga_window_dispose;
  object_class->finalize = ga_window_finalize;
  object_class->get_property = ga_window_get_property;
  object_class->set_property = ga_window_set_property;

  window_class->close_request = ga_window_close_request;

  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL,
                         G_TYPE_SETTINGS,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  properties[PROP_CREDENTIALS] =
    g_param_spec_object ("credentials", NULL, NULL,
                         GA_TYPE_CREDENTIALS,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL,
                         SOUP_TYPE_SESSION,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  properties[PROP_CACHE] =
    g_param_spec_object ("cache", NULL, NULL,
                         GA_TYPE_CACHE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  properties[PROP_CHAT_STATUS] =
    g_param_spec_object ("chat-status", NULL, NULL,
                         GA_TYPE_CHAT_STATUS,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  properties[PROP_DEMO] =
    g_param_spec_boolean ("demo", NULL, NULL,
                          FALSE,
                          G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  properties[PROP_INSTANCES] =
    g_param_spec_object ("instances", NULL, NULL,
                         GA_TYPE_INSTANCES,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL,
                          FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/ga-window.ui");
  gtk_widget_class_bind_template_child (widget_class, GaWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, GaWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, GaWindow, demo_pill);
  gtk_widget_class_bind_template_child (widget_class, GaWindow, account_button);
  gtk_widget_class_bind_template_child (widget_class, GaWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, GaWindow, welcome_page);
  gtk_widget_class_bind_template_child (widget_class, GaWindow, welcome_button);
  gtk_widget_class_bind_template_child (widget_class, GaWindow, entry);
  gtk_widget_class_bind_template_child (widget_class, GaWindow, recent_button);
  gtk_widget_class_bind_template_child (widget_class, GaWindow, recent_section);
  gtk_widget_class_bind_template_child (widget_class, GaWindow, entry_error);
  gtk_widget_class_bind_template_child (widget_class, GaWindow, result_stack);
  gtk_widget_class_bind_template_child (widget_class, GaWindow, spinner);
  gtk_widget_class_bind_template_child (widget_class, GaWindow, loading_label);
  gtk_widget_class_bind_template_child (widget_class, GaWindow, picture_stack);
  gtk_widget_class_bind_template_child (widget_class, GaWindow, picture);
  gtk_widget_class_bind_template_child (widget_class, GaWindow, placeholder);
  gtk_widget_class_bind_template_child (widget_class, GaWindow, contact_card);
  gtk_widget_class_bind_template_child (widget_class, GaWindow, chat_id_label);
  gtk_widget_class_bind_template_child (widget_class, GaWindow, picture_actions);
  gtk_widget_class_bind_template_child (widget_class, GaWindow, private_badge);
  gtk_widget_class_bind_template_child (widget_class, GaWindow, not_set_badge);
  gtk_widget_class_bind_template_child (widget_class, GaWindow, caption_label);
  gtk_widget_class_bind_template_child (widget_class, GaWindow, error_box);
  gtk_widget_class_bind_template_child (widget_class, GaWindow, error_icon);
  gtk_widget_class_bind_template_child (widget_class, GaWindow, error_title);
  gtk_widget_class_bind_template_child (widget_class, GaWindow, error_description);
  gtk_widget_class_bind_template_child (widget_class, GaWindow, error_button);
  gtk_widget_class_bind_template_child (widget_class, GaWindow, console_button);
  gtk_widget_class_bind_template_child (widget_class, GaWindow, demo_group);
  gtk_widget_class_bind_template_callback (widget_class, entry_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, entry_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, account_checked_cb);

  gtk_widget_class_install_action (widget_class, "win.lookup", NULL, lookup_action);
  gtk_widget_class_install_action (widget_class, "win.look-up-chat", "s", look_up_chat_action);
  gtk_widget_class_install_action (widget_class, "win.cancel", NULL, cancel_action);
  gtk_widget_class_install_action (widget_class, "win.retry", NULL, retry_action);
  gtk_widget_class_install_action (widget_class, "win.focus-entry", NULL, focus_entry_action);
  gtk_widget_class_install_action (widget_class, "win.compare", NULL, compare_action);
  ga_window_picture_class_init_actions (widget_class);
  gtk_widget_class_install_action (widget_class, "win.clear-history", NULL,
                                   clear_history_action);
  gtk_widget_class_install_action (widget_class, "win.show-recent", NULL, show_recent_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "win.cancel", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "win.retry", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_l, GDK_CONTROL_MASK,
                                       "win.focus-entry", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Down, GDK_ALT_MASK,
                                       "win.show-recent", NULL);
}

static void
ga_window_init (GaWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->window_picture = ga_window_picture_new (GTK_WINDOW (self), self->toast_overlay,
                                                 GTK_WIDGET (self->picture));
  self->completion = ga_completion_new (self->entry);
}

/**
 * ga_window_new:
 * @application: the application, which provides the settings, credentials and session
 *
 * Returns: (transfer full): a new main window
 */
GaWindow *
ga_window_new (GaApplication *application)
{
  g_return_val_if_fail (GA_IS_APPLICATION (application), NULL);

  return g_object_new (GA_TYPE_WINDOW,
                       "application", application,
                       "settings", ga_application_get_settings (application),
                       "credentials", ga_application_get_credentials (application),
                       "session", ga_application_get_session (application),
                       "cache", ga_application_get_cache (application),
                       "chat-status", ga_application_get_chat_status (application),
                       "demo", ga_application_get_demo (application),
                       "instances", ga_application_get_instances (application),
                       NULL);
}

/* TRUE while a lookup runs. */
gboolean
ga_window_get_busy (GaWindow *self)
{
  g_return_val_if_fail (GA_IS_WINDOW (self), FALSE);

  return self->cancellable != NULL;
}

/**
 * ga_window_get_state:
 *
 * For tests: which page and result the window shows.
 */
GaWindowState
ga_window_get_state (GaWindow *self)
{
  g_return_val_if_fail (GA_IS_WINDOW (self), GA_WINDOW_STATE_EMPTY);

  return self->state;
}

/* For ga-window-picture.c, whose actions are the window's. */
GaWindowPicture *
ga_window_get_picture_actions (GaWindow *self)
{
  return self->window_picture;
}

/**
 * ga_window_add_toast:
 * @toast: (transfer full): a toast, e.g. the application's offer to resume a batch
 */
void
ga_window_add_toast (GaWindow *self,
                     AdwToast *toast)
{
  g_return_if_fail (GA_IS_WINDOW (self));

  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}
