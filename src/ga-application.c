/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "ga-application"

#include "config.h"

#include "ga-application.h"

#include "ga-cli.h"
#include "ga-batch-view.h"
#include "ga-demo-server.h"
#include "ga-http-log.h"
#include "ga-http.h"
#include "ga-preferences-window.h"
#include "ga-search-provider.h"
#include "ga-window.h"

#define G_SETTINGS_ENABLE_BACKEND
#include <gio/gsettingsbackend.h>
#include <glib/gi18n.h>

struct _GaApplication
{
  AdwApplication parent_instance;

  SoupSession *session;         /* (owned) (nullable): the app's one session */
  GSettings *settings;          /* (owned) (nullable): in memory only for --demo */
  GaCredentials *credentials;   /* (owned) (nullable): the current instance */
  GaInstances *instances;       /* (owned) (nullable): every configured instance */
  GaDemoServer *demo_server;    /* (owned) (nullable): only for --demo */
  GaCache *cache;               /* (owned) (nullable): none for --demo, which keeps nothing */
  GaChatStatus *chat_status;    /* (owned) (nullable): the last answer per chat */
  GaContactList *contact_list;  /* (owned) (nullable): getContacts as kept on disk */
  GaSearchProvider *search_provider; /* (owned) (nullable): while on the bus */
  GCancellable *cancellable;    /* (owned): loading the token */
  char *pending_chat;           /* (owned) (nullable): to look up once the window is there */
  GaBatch *batch;               /* (owned) (nullable): made when first asked for */
  GaBatchView *batch_view;      /* (unowned) (nullable): a weak pointer */
  gboolean resume_offered;
  char *pending_text;           /* (owned) (nullable): to put in the entry, from a search */

  gboolean demo;
  gboolean options_parsed;      /* GLib understood every option of the command line */
  gboolean loaded;              /* the token has been looked for in the Secret Service */
  gboolean window_wanted;       /* a window was asked for before loading finished */
};

G_DEFINE_FINAL_TYPE (GaApplication, ga_application, ADW_TYPE_APPLICATION)

static const GOptionEntry option_entries[] = {
  { "demo", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Run against a built-in sample server; nothing is saved"), NULL },
  { "version", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Show the version and quit"), NULL },
  { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_STRING_ARRAY, NULL, NULL, NULL },
  { NULL }
};

static char *
batch_state_file (GaApplication *self)
{
  /* --demo keeps nothing. */
  if (self->demo)
    return NULL;

  return g_build_filename (g_get_user_cache_dir (), "green-avatar", "batch.json", NULL);
}

/* A batch left unfinished by the last run is offered once, in the first window. */
static void
offer_resume (GaApplication *self,
              GaWindow      *window)
{
  g_autofree char *state_file = NULL;
  AdwToast *toast;

  if (self->resume_offered || self->batch != NULL)
    return;
  self->resume_offered = TRUE;

  state_file = batch_state_file (self);
  if (!ga_batch_state_file_exists (state_file))
    return;

  toast = adw_toast_new (_("A batch lookup was left unfinished"));
  adw_toast_set_button_label (toast, _("_Resume"));
  adw_toast_set_action_name (toast, "app.batch-resume");
  adw_toast_set_timeout (toast, 0);
  ga_window_add_toast (window, toast);
}

static void
network_changed_cb (GNetworkMonitor *monitor,
                    GParamSpec      *pspec,
                    GaBatch         *batch)
{
  ga_batch_set_network_available (batch, g_network_monitor_get_network_available (monitor));
}

static void
batch_loaded_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GaApplication) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!ga_batch_load_finish (GA_BATCH (object), result, &error))
    {
      g_debug ("The last batch could not be read: %s", error->message);
      return;
    }

  if (self->batch_view != NULL)
    ga_batch_view_offer_resume (self->batch_view);
}

static GaBatch *
ensure_batch (GaApplication *self)
{
  g_autofree char *state_file = NULL;
  GNetworkMonitor *monitor;

  if (self->batch != NULL)
    return self->batch;

  state_file = batch_state_file (self);
  self->batch = ga_batch_new (self->cache, state_file);
  g_object_set (self->batch, "fetch-names", TRUE, NULL);
  /* The app's one list of contacts: the batch asks no getContacts of its own when it is
   * fresh, and what it fetches serves the window and the search too. */
  ga_batch_set_contact_list (self->batch, self->contact_list);

  /* Offline, a running batch waits, and goes on by itself when the network is back. */
  monitor = g_network_monitor_get_default ();
  ga_batch_set_network_available (self->batch,
                                  g_network_monitor_get_network_available (monitor));
  g_signal_connect_object (monitor, "notify::network-available",
                           G_CALLBACK (network_changed_cb), self->batch, 0);

  /* Read in a worker thread: the window shows at once, the last batch when it is read. */
  if (ga_batch_state_file_exists (state_file))
    ga_batch_load_async (self->batch, self->cancellable, batch_loaded_cb, g_object_ref (self));

  return self->batch;
}

static void present_window (GaApplication *self);

static void
batch_chat_activated_cb (GaBatchView   *view,
                         const char    *chat_id,
                         GaApplication *self)
{
  GtkWindow *window = NULL;

  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l != NULL; l = l->next)
    if (GA_IS_WINDOW (l->data))
      {
        window = l->data;
        break;
      }

  if (window == NULL)
    window = GTK_WINDOW (ga_window_new (self));

  gtk_window_present (window);
  ga_window_look_up (GA_WINDOW (window), chat_id);
}

static GaBatchView *
present_batch_view (GaApplication *self)
{
  if (self->batch_view == NULL)
    {
      self->batch_view = ga_batch_view_new (GTK_APPLICATION (self), ensure_batch (self),
                                            self->credentials, self->session);
      g_object_add_weak_pointer (G_OBJECT (self->batch_view), (gpointer *) &self->batch_view);
      g_signal_connect_object (self->batch_view, "chat-activated",
                               G_CALLBACK (batch_chat_activated_cb), self, 0);
    }

  gtk_window_present (GTK_WINDOW (self->batch_view));

  return self->batch_view;
}

static void
present_window (GaApplication *self)
{
  GtkWindow *window;
  g_autofree char *chat = g_steal_pointer (&self->pending_chat);
  g_autofree char *text = g_steal_pointer (&self->pending_text);

  window = gtk_application_get_active_window (GTK_APPLICATION (self));
  if (window == NULL)
    window = GTK_WINDOW (ga_window_new (self));

  gtk_window_present (window);
  if (GA_IS_WINDOW (window))
    offer_resume (self, GA_WINDOW (window));

  if (chat != NULL)
    ga_window_look_up (GA_WINDOW (window), chat);
  else if (text != NULL)
    ga_window_set_input (GA_WINDOW (window), text);
}

/* The window shows at once, without waiting for the keyring (tens of milliseconds): while
 * the token loads it shows the lookup page, not the first-run page, to a person who has set
 * the app up. A chat asked for meanwhile waits in the entry until the token is there. */
static void
request_window (GaApplication *self)
{
  if (self->loaded)
    {
      present_window (self);
      return;
    }

  self->window_wanted = TRUE;
  if (gtk_application_get_active_window (GTK_APPLICATION (self)) == NULL)
    {
      GaWindow *window = ga_window_new (self);

      ga_window_set_token_loading (window, TRUE);
      gtk_window_present (GTK_WINDOW (window));
    }
}

static void
tls_ready_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GaApplication) self = user_data;

  ga_http_warm_up_tls_finish (result, NULL);

  /* Someone who set the app up will look a chat up: have the connection to the API ready
   * (TCP and TLS) by then. */
  if (!g_cancellable_is_cancelled (self->cancellable) &&
      ga_credentials_is_complete (self->credentials))
    ga_http_preconnect (self->session, ga_credentials_get_api_url (self->credentials),
                        self->cancellable);
}

static gboolean
preconnect_cb (gpointer user_data)
{
  GaApplication *self = user_data;

  /* Whether or not the API is known yet, TLS gets loaded (in a worker thread) before the
   * first connection needs it, then the API is connected to (in the network thread). Both
   * take CPU time the first frame needs more, so this waits until it is on screen. */
  ga_http_warm_up_tls_async (self->cancellable, tls_ready_cb, g_object_ref (self));

  return G_SOURCE_REMOVE;
}

static void
load_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GaApplication) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!ga_credentials_load_finish (GA_CREDENTIALS (object), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_application_release (G_APPLICATION (self));
          return;
        }

      /* The window shows what is missing; the terminal gets the detail. */
      g_message ("Could not read the API token: %s", error->message);
    }

  self->loaded = TRUE;
  if (self->window_wanted)
    {
      GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

      if (GA_IS_WINDOW (window))
        ga_window_set_token_loading (GA_WINDOW (window), FALSE);
      present_window (self);
    }

  g_idle_add_full (G_PRIORITY_LOW, preconnect_cb, g_object_ref (self), g_object_unref);

  g_application_release (G_APPLICATION (self));
}

/* GLib reports an option it does not know itself, with the status 1; for scripts that is a usage
 * error, whose status is 2 (see the man page). */
static gboolean
ga_application_local_command_line (GApplication   *app,
                                   char         ***arguments,
                                   int            *exit_status)
{
  GaApplication *self = GA_APPLICATION (app);
  gboolean handled;

  handled = G_APPLICATION_CLASS (ga_application_parent_class)->local_command_line (app,
                                                                                  arguments,
                                                                                  exit_status);
  if (handled && *exit_status == 1 && !self->options_parsed)
    *exit_status = 2;

  return handled;
}

static gint
ga_application_handle_local_options (GApplication *app,
                                     GVariantDict *options)
{
  GaApplication *self = GA_APPLICATION (app);

  self->options_parsed = TRUE;

  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("%s %s\n", PACKAGE_NAME, PACKAGE_VERSION);
      return 0;
    }

  /* The command line runs here, so nothing registers on the bus and GTK is never set up. */
  if (ga_cli_is_requested (options))
    return ga_cli_run (options, g_variant_dict_contains (options, "demo"));

  if (g_variant_dict_contains (options, "demo"))
    {
      /* The demo runs beside a normal instance and never hands its work to one. */
      self->demo = TRUE;
      g_application_set_flags (app, g_application_get_flags (app) | G_APPLICATION_NON_UNIQUE);
    }

  return G_APPLICATION_CLASS (ga_application_parent_class)->handle_local_options (app, options);
}

static int
ga_application_command_line (GApplication            *app,
                             GApplicationCommandLine *command_line)
{
  GaApplication *self = GA_APPLICATION (app);
  GVariantDict *options = g_application_command_line_get_options_dict (command_line);
  g_autofree const char **chats = NULL;

  if (g_variant_dict_lookup (options, G_OPTION_REMAINING, "^a&s", &chats) &&
      chats[0] != NULL)
    {
      if (chats[1] != NULL)
        g_application_command_line_printerr (command_line,
                                             _("Only one chat can be looked up at a time; "
                                               "looking up %s.\n"),
                                             chats[0]);

      g_free (self->pending_chat);
      self->pending_chat = g_strdup (chats[0]);
    }

  request_window (self);

  return EXIT_SUCCESS;
}

static void
ga_application_activate (GApplication *app)
{
  request_window (GA_APPLICATION (app));
}

/* The search provider (ga-search-provider.c): GNOME Shell's results open the window. */
static void
activate_chat_cb (GaSearchProvider *provider,
                  const char       *chat_id,
                  guint             timestamp,
                  GaApplication    *self)
{
  g_free (self->pending_chat);
  self->pending_chat = g_strdup (chat_id);
  g_clear_pointer (&self->pending_text, g_free);
  request_window (self);
}

static void
launch_search_cb (GaSearchProvider *provider,
                  const char       *text,
                  guint             timestamp,
                  GaApplication    *self)
{
  g_clear_pointer (&self->pending_chat, g_free);
  g_free (self->pending_text);
  self->pending_text = g_strdup (text);
  request_window (self);
}

static gboolean
ga_application_dbus_register (GApplication     *app,
                              GDBusConnection  *connection,
                              const char       *object_path,
                              GError          **error)
{
  GaApplication *self = GA_APPLICATION (app);

  if (!G_APPLICATION_CLASS (ga_application_parent_class)->dbus_register (app, connection,
                                                                         object_path, error))
    return FALSE;

  /* The demo shows made-up chats: it offers nothing to the shell. */
  if (self->demo)
    return TRUE;

  /* Registration comes before startup, so the provider is handed the services as they are
   * made there (see ga_application_startup()). */
  self->search_provider = ga_search_provider_new (app, NULL, NULL, NULL, NULL, NULL);
  g_signal_connect (self->search_provider, "activate-chat", G_CALLBACK (activate_chat_cb), self);
  g_signal_connect (self->search_provider, "launch-search", G_CALLBACK (launch_search_cb), self);

  return ga_search_provider_export (self->search_provider, connection,
                                    GA_SEARCH_PROVIDER_PATH, error);
}

static void
ga_application_dbus_unregister (GApplication    *app,
                                GDBusConnection *connection,
                                const char      *object_path)
{
  GaApplication *self = GA_APPLICATION (app);

  if (self->search_provider != NULL)
    ga_search_provider_unexport (self->search_provider);
  g_clear_object (&self->search_provider);

  G_APPLICATION_CLASS (ga_application_parent_class)->dbus_unregister (app, connection,
                                                                      object_path);
}

static void
quit_action (GSimpleAction *action,
             GVariant      *parameter,
             gpointer       user_data)
{
  GaApplication *self = user_data;
  GList *windows;

  /* Closing the windows first lets them save their size. Closing one removes it from the
   * application's list, so walk a copy that holds its own references. */
  windows = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (self)));
  for (GList *l = windows; l != NULL; l = l->next)
    g_object_ref (l->data);
  for (GList *l = windows; l != NULL; l = l->next)
    if (GA_IS_WINDOW (l->data))
      gtk_window_close (l->data);
  g_list_free_full (windows, g_object_unref);

  g_application_quit (G_APPLICATION (self));
}

static void
credentials_instance_cb (GaCredentials *credentials,
                         GParamSpec    *pspec,
                         GaCache       *cache)
{
  ga_cache_set_instance (cache, ga_credentials_get_id_instance (credentials));
}

/* The search provider's names and last answers follow the instance too: one instance's
 * contacts or answers are never offered for another. */
static void
contacts_instance_cb (GaCredentials *credentials,
                      GParamSpec    *pspec,
                      GaApplication *self)
{
  g_autofree char *cache_dir = g_build_filename (g_get_user_cache_dir (), "green-avatar", NULL);

  /* The last answers the search shows were another account's: forget them. */
  if (self->chat_status != NULL)
    ga_chat_status_clear (self->chat_status);
  g_clear_object (&self->contact_list);
  self->contact_list = ga_contact_list_new (cache_dir,
                                            ga_credentials_get_id_instance (credentials));
  ga_contact_list_load_async (self->contact_list, self->cancellable, NULL, NULL);
  if (self->search_provider != NULL)
    ga_search_provider_set_contact_list (self->search_provider, self->contact_list);
}

static void
preferences_action (GSimpleAction *action,
                    GVariant      *parameter,
                    gpointer       user_data)
{
  GaApplication *self = user_data;
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (parent == NULL)
    {
      present_window (self);
      parent = gtk_application_get_active_window (GTK_APPLICATION (self));
    }

  ga_preferences_present (GTK_WIDGET (parent), self->credentials, self->session,
                          self->settings, self->cache, self->instances);
}

static void
about_action (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       user_data)
{
  GaApplication *self = user_data;
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  static const char *developers[] = { "The Green Avatar developers", NULL };

#if ADW_CHECK_VERSION (1, 5, 0)
  /* Newer than the 1.2 floor that the build pins, hence the pragmas. */
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  adw_show_about_dialog (GTK_WIDGET (parent),
#else
  adw_show_about_window (parent,
#endif
                         "application-name", _("Green Avatar"),
                         "application-icon", APP_ID,
                         "developer-name", _("The Green Avatar developers"),
                         "developers", developers,
                         "version", PACKAGE_VERSION,
                         "comments", _("See the WhatsApp profile picture of any chat "
                                       "through GREEN-API."),
                         "website", PACKAGE_WEBSITE,
                         "issue-url", PACKAGE_BUGTRACKER,
                         "license-type", GTK_LICENSE_GPL_3_0,
                         "copyright", "© 2025 The Green Avatar developers",
                         /* Translators: put your names here, one a line */
                         "translator-credits", _("translator-credits"),
                         NULL);
#if ADW_CHECK_VERSION (1, 5, 0)
  G_GNUC_END_IGNORE_DEPRECATIONS
#endif
}

static void
batch_action (GSimpleAction *action,
              GVariant      *parameter,
              gpointer       user_data)
{
  present_batch_view (GA_APPLICATION (user_data));
}

static void
batch_resume_action (GSimpleAction *action,
                     GVariant      *parameter,
                     gpointer       user_data)
{
  ga_batch_view_start (present_batch_view (GA_APPLICATION (user_data)));
}

static const GActionEntry app_actions[] = {
  { "quit", quit_action },
  { "batch", batch_action },
  { "batch-resume", batch_resume_action },
  { "preferences", preferences_action },
  { "about", about_action },
};

static void
ga_application_startup (GApplication *app)
{
  GaApplication *self = GA_APPLICATION (app);

  G_APPLICATION_CLASS (ga_application_parent_class)->startup (app);

  g_action_map_add_action_entries (G_ACTION_MAP (self),
                                   app_actions,
                                   G_N_ELEMENTS (app_actions),
                                   self);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self),
                                         "app.quit",
                                         (const char *[]) { "<Primary>q", NULL });
  gtk_application_set_accels_for_action (GTK_APPLICATION (self),
                                         "app.batch",
                                         (const char *[]) { "<Primary>b", NULL });
  gtk_application_set_accels_for_action (GTK_APPLICATION (self),
                                         "app.preferences",
                                         (const char *[]) { "<Primary>comma", NULL });
  gtk_application_set_accels_for_action (GTK_APPLICATION (self),
                                         "window.close",
                                         (const char *[]) { "<Primary>w", NULL });

  self->session = ga_http_session_new ();
  /* Off unless GREEN_AVATAR_HTTP_DEBUG or G_MESSAGES_DEBUG ask for it; the token is redacted. */
  ga_http_session_enable_logging (self->session, ga_http_log_level_from_env ());

  if (self->demo)
    {
      g_autoptr(GSettingsBackend) backend = g_memory_settings_backend_new ();
      g_autoptr(GError) error = NULL;

      self->settings = g_settings_new_with_backend (BASE_ID, backend);
      self->demo_server = ga_demo_server_new (&error);
      if (self->demo_server == NULL)
        {
          g_printerr (_("The demo server could not start: %s\n"), error->message);
          self->credentials = ga_credentials_new_for_demo ("", "", "");
        }
      else
        {
          self->credentials = ga_credentials_new_for_demo (ga_demo_server_get_url (self->demo_server),
                                                           ga_demo_server_get_id_instance (self->demo_server),
                                                           ga_demo_server_get_token (self->demo_server));
          /* Two instances in memory whose answers differ for one chat, for Compare. */
          self->instances = ga_instances_new (NULL, NULL);
          /* TRANSLATORS: the label of the first demo instance. */
          ga_instances_add (self->instances, _("Sales"), ga_demo_server_get_url (self->demo_server),
                            ga_demo_server_get_id_instance (self->demo_server), NULL);
          /* TRANSLATORS: the label of the second demo instance. */
          ga_instances_add (self->instances, _("Support"),
                            ga_demo_server_get_url (self->demo_server),
                            ga_demo_server_get_other_id_instance (self->demo_server), NULL);
        }
      self->loaded = TRUE;
    }
  else
    {
      g_autofree char *cache_dir = g_build_filename (g_get_user_cache_dir (), "green-avatar",
                                                     NULL);

      self->settings = g_settings_new (BASE_ID);
      /* Before the credentials: the first start of this version makes the one-instance
       * settings the first entry of the list (ga-instances.h). */
      self->instances = ga_instances_new (self->settings, cache_dir);
      self->credentials = ga_credentials_new (self->settings);
      self->cache = ga_cache_new_default ();
      /* What a chat showed through one instance is never the answer of another. */
      ga_cache_set_instance (self->cache, ga_credentials_get_id_instance (self->credentials));
      g_signal_connect_object (self->credentials, "notify::id-instance",
                               G_CALLBACK (credentials_instance_cb), self->cache, 0);
      g_settings_bind (self->settings, "last-image-host",
                       self->cache, "image-origin",
                       G_SETTINGS_BIND_DEFAULT);

      self->chat_status = ga_chat_status_new_default ();
      ga_chat_status_load_async (self->chat_status, self->cancellable, NULL, NULL);
      g_signal_connect_object (self->cache, "cleared", G_CALLBACK (ga_chat_status_clear),
                               self->chat_status, G_CONNECT_SWAPPED);
      self->contact_list = ga_contact_list_new (cache_dir,
                                                ga_credentials_get_id_instance (self->credentials));
      ga_contact_list_load_async (self->contact_list, self->cancellable, NULL, NULL);
      g_signal_connect_object (self->credentials, "notify::id-instance",
                               G_CALLBACK (contacts_instance_cb), self, 0);
      if (self->search_provider != NULL)
        {
          ga_search_provider_set_services (self->search_provider, self->settings,
                                           self->credentials, self->session, self->cache,
                                           self->chat_status);
          ga_search_provider_set_contact_list (self->search_provider, self->contact_list);
        }

      g_application_hold (app);
      ga_credentials_load_async (self->credentials,
                                 self->cancellable,
                                 load_cb,
                                 g_object_ref (self));
    }
}

static void
ga_application_shutdown (GApplication *app)
{
  GaApplication *self = GA_APPLICATION (app);

  g_cancellable_cancel (self->cancellable);

  /* The batch survives quitting: what is not on disk yet goes there now. */
  if (self->batch != NULL)
    {
      g_autoptr(GError) error = NULL;

      if (ga_batch_get_state (self->batch) == GA_BATCH_STATE_RUNNING ||
          ga_batch_get_state (self->batch) == GA_BATCH_STATE_OFFLINE)
        ga_batch_pause (self->batch);
      if (!ga_batch_save (self->batch, &error))
        g_warning ("The batch could not be kept for later: %s", error->message);
    }

  /* Pictures fetched just before quitting are still being written. */
  if (self->cache != NULL && !ga_cache_flush (self->cache, 5000))
    g_debug ("Some pictures were not written to the cache in time");

  G_APPLICATION_CLASS (ga_application_parent_class)->shutdown (app);
}

static void
ga_application_dispose (GObject *object)
{
  GaApplication *self = GA_APPLICATION (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->batch);
  g_clear_object (&self->credentials);
  g_clear_object (&self->instances);
  g_clear_object (&self->search_provider);
  g_clear_object (&self->chat_status);
  g_clear_object (&self->contact_list);
  g_clear_object (&self->cache);
  g_clear_object (&self->demo_server);
  g_clear_object (&self->settings);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (ga_application_parent_class)->dispose (object);
}

static void
ga_application_finalize (GObject *object)
{
  GaApplication *self = GA_APPLICATION (object);

  g_clear_object (&self->cancellable);
  g_free (self->pending_chat);
  g_free (self->pending_text);

  G_OBJECT_CLASS (ga_application_parent_class)->finalize (object);
}

static void
ga_application_class_init (GaApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = ga_application_dispose;
  object_class->finalize = ga_application_finalize;

  app_class->local_command_line = ga_application_local_command_line;
  app_class->handle_local_options = ga_application_handle_local_options;
  app_class->command_line = ga_application_command_line;
  app_class->activate = ga_application_activate;
  app_class->startup = ga_application_startup;
  app_class->shutdown = ga_application_shutdown;
  app_class->dbus_register = ga_application_dbus_register;
  app_class->dbus_unregister = ga_application_dbus_unregister;
}

static void
ga_application_init (GaApplication *self)
{
  self->cancellable = g_cancellable_new ();

  g_application_add_main_option_entries (G_APPLICATION (self), option_entries);
  ga_cli_add_option_entries (G_APPLICATION (self));
  g_application_set_option_context_parameter_string (G_APPLICATION (self),
                                                     _("[PHONE-NUMBER-OR-CHAT-ID…]"));
  g_application_set_option_context_summary (G_APPLICATION (self),
                                            _("Show the WhatsApp profile picture of a chat "
                                              "through GREEN-API."));
}

GaApplication *
ga_application_new (void)
{
  return g_object_new (GA_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "resource-base-path", RESOURCE_PREFIX,
                       "flags", G_APPLICATION_HANDLES_COMMAND_LINE,
                       NULL);
}

SoupSession *
ga_application_get_session (GaApplication *self)
{
  g_return_val_if_fail (GA_IS_APPLICATION (self), NULL);

  return self->session;
}

GSettings *
ga_application_get_settings (GaApplication *self)
{
  g_return_val_if_fail (GA_IS_APPLICATION (self), NULL);

  return self->settings;
}

GaCredentials *
ga_application_get_credentials (GaApplication *self)
{
  g_return_val_if_fail (GA_IS_APPLICATION (self), NULL);

  return self->credentials;
}

/* Every configured instance (the credentials are the current one's); in demo mode the demo
 * server's two, in memory; %NULL when the demo server could not start. */
GaInstances *
ga_application_get_instances (GaApplication *self)
{
  g_return_val_if_fail (GA_IS_APPLICATION (self), NULL);

  return self->instances;
}

/* The picture cache, or %NULL in demo mode. */
GaCache *
ga_application_get_cache (GaApplication *self)
{
  g_return_val_if_fail (GA_IS_APPLICATION (self), NULL);

  return self->cache;
}

/* The contacts list of the instance set at startup, or %NULL in demo mode. */
GaContactList *
ga_application_get_contact_list (GaApplication *self)
{
  g_return_val_if_fail (GA_IS_APPLICATION (self), NULL);

  return self->contact_list;
}

/* The last answer per chat, or %NULL in demo mode. */
GaChatStatus *
ga_application_get_chat_status (GaApplication *self)
{
  g_return_val_if_fail (GA_IS_APPLICATION (self), NULL);

  return self->chat_status;
}

gboolean
ga_application_get_demo (GaApplication *self)
{
  g_return_val_if_fail (GA_IS_APPLICATION (self), FALSE);

  return self->demo;
}
