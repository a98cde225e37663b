/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "ga-search-provider"

#include "config.h"

#include "ga-search-provider.h"

#include "ga-avatar-info.h"
#include "ga-chat-id.h"
#include "ga-client.h"
#include "ga-contact-list.h"
#include "ga-lookup.h"
#include "ga-recent.h"
#include "ga-text.h"

#include <glib/gi18n.h>
#include <string.h>

/* A partial number is worth matching from this many digits on. */
#define PARTIAL_MIN_DIGITS 3

/* GNOME Shell asks for the metas of the results it shows, a handful; more is not ours. */
#define MAX_METAS 64

/* A chat whose answer is older than this is looked up again in the background. */
#define STATUS_FRESH_SECONDS (24 * 60 * 60)

/* A background lookup that failed is not tried again for this long. */
#define RETRY_SECONDS (5 * 60)

/*
 * org.gnome.Shell.SearchProvider2 as gnome-shell ships it
 * (data/dbus-interfaces/org.gnome.ShellSearchProvider2.xml), written out here so the build
 * does not need gnome-shell.
 */
static const char introspection_xml[] =
  "<node>"
  "  <interface name='org.gnome.Shell.SearchProvider2'>"
  "    <method name='GetInitialResultSet'>"
  "      <arg type='as' name='terms' direction='in'/>"
  "      <arg type='as' name='results' direction='out'/>"
  "    </method>"
  "    <method name='GetSubsearchResultSet'>"
  "      <arg type='as' name='previous_results' direction='in'/>"
  "      <arg type='as' name='terms' direction='in'/>"
  "      <arg type='as' name='results' direction='out'/>"
  "    </method>"
  "    <method name='GetResultMetas'>"
  "      <arg type='as' name='identifiers' direction='in'/>"
  "      <arg type='aa{sv}' name='metas' direction='out'/>"
  "    </method>"
  "    <method name='ActivateResult'>"
  "      <arg type='s' name='identifier' direction='in'/>"
  "      <arg type='as' name='terms' direction='in'/>"
  "      <arg type='u' name='timestamp' direction='in'/>"
  "    </method>"
  "    <method name='LaunchSearch'>"
  "      <arg type='as' name='terms' direction='in'/>"
  "      <arg type='u' name='timestamp' direction='in'/>"
  "    </method>"
  "  </interface>"
  "</node>";

struct _GaSearchProvider
{
  GObject parent_instance;

  GApplication *application;     /* (unowned) (nullable): held while searched */
  GSettings *settings;           /* (owned) (nullable): the recent lookups */
  GaCredentials *credentials;    /* (owned) (nullable) */
  SoupSession *session;          /* (owned) (nullable) */
  GaCache *cache;                /* (owned) (nullable): none in demo mode */
  GaChatStatus *status;          /* (owned) (nullable) */
  GaClient *client;              /* (owned) (nullable): made when first needed */
  char *id_instance;             /* (owned) (nullable): the instance the lookups below are for */

  GaSearchMatchFunc match;
  GaSearchNameFunc get_name;
  gpointer contacts_data;
  GDestroyNotify contacts_destroy;

  GDBusConnection *connection;   /* (owned) (nullable): while exported */
  guint registration_id;

  GCancellable *lookup_cancellable; /* (owned) (nullable): the background lookup in flight */
  GHashTable *attempted;         /* (owned): chat ID → Unix time of a background lookup */

  guint idle_id;                 /* releases the application after an idle minute */
  gboolean held;
};

G_DEFINE_FINAL_TYPE (GaSearchProvider, ga_search_provider, G_TYPE_OBJECT)

static void credentials_changed_cb (GaSearchProvider *self);

enum {
  ACTIVATE_CHAT,
  LAUNCH_SEARCH,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Keeping the process alive */

static gboolean
idle_cb (gpointer user_data)
{
  GaSearchProvider *self = user_data;

  self->idle_id = 0;
  if (self->held && self->application != NULL)
    g_application_release (self->application);
  self->held = FALSE;

  return G_SOURCE_REMOVE;
}

/* GNOME Shell may start the process for a search and asks again at every keystroke: hold the
 * application until a minute has passed without a search. A window holds it on its own. */
static void
touch (GaSearchProvider *self)
{
  if (self->application == NULL)
    return;

  if (!self->held)
    {
      g_application_hold (self->application);
      self->held = TRUE;
    }

  g_clear_handle_id (&self->idle_id, g_source_remove);
  self->idle_id = g_timeout_add_seconds (GA_SEARCH_PROVIDER_IDLE_SECONDS, idle_cb, self);
}

/* Searching */

static gboolean
is_number_character (gunichar c)
{
  return g_unichar_digit_value (c) >= 0 || c == '+' || c == '-' || c == '(' || c == ')' ||
         c == '.' || g_unichar_isspace (c) || g_unichar_type (c) == G_UNICODE_DASH_PUNCTUATION;
}

/* The digits of @text when it is written like (a part of) a phone number, else NULL. */
static char *
number_digits (const char *text)
{
  g_autoptr(GString) digits = g_string_new (NULL);

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      int value = g_unichar_digit_value (c);

      if (!is_number_character (c))
        return NULL;
      if (value >= 0)
        g_string_append_c (digits, '0' + value);
    }

  return g_string_free (g_steal_pointer (&digits), FALSE);
}

static void
add_unique (GPtrArray  *results,
            const char *chat_id)
{
  for (guint i = 0; i < results->len; i++)
    if (strcmp (g_ptr_array_index (results, i), chat_id) == 0)
      return;

  g_ptr_array_add (results, g_strdup (chat_id));
}

static void
add_contacts (GaSearchProvider *self,
              GPtrArray        *results,
              const char       *query)
{
  g_auto(GStrv) matches = NULL;

  if (self->match == NULL)
    return;

  matches = self->match (query, GA_SEARCH_PROVIDER_MAX_CONTACTS, self->contacts_data);
  for (guint i = 0; matches != NULL && matches[i] != NULL &&
                    i < GA_SEARCH_PROVIDER_MAX_CONTACTS; i++)
    add_unique (results, matches[i]);
}

static void
add_history (GaSearchProvider *self,
             GPtrArray        *results,
             const char       *digits)
{
  g_auto(GStrv) recent = NULL;
  guint n = 0;

  if (self->settings == NULL)
    return;

  recent = ga_recent_get (self->settings);
  for (guint i = 0; recent[i] != NULL && n < GA_SEARCH_PROVIDER_MAX_CONTACTS; i++)
    {
      const char *at = strchr (recent[i], '@');
      g_autofree char *number = g_strndup (recent[i], at != NULL ? at - recent[i] : -1);

      if (strstr (number, digits) != NULL)
        {
          add_unique (results, recent[i]);
          n++;
        }
    }
}

static GaClient *
ensure_client (GaSearchProvider *self)
{
  if (self->client == NULL && self->credentials != NULL && self->session != NULL &&
      ga_credentials_is_complete (self->credentials))
    self->client = ga_credentials_create_client (self->credentials, self->session);

  return self->client;
}

typedef struct
{
  GaSearchProvider *self;        /* (owned) */
  GCancellable *cancellable;     /* (owned) */
  char *chat_id;                 /* (owned) */
} LookupData;

static void
lookup_data_free (LookupData *data)
{
  g_object_unref (data->self);
  g_object_unref (data->cancellable);
  g_free (data->chat_id);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LookupData, lookup_data_free)

static void
lookup_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(LookupData) data = user_data;
  GaSearchProvider *self = data->self;
  g_autoptr(GaLookupResult) lookup = NULL;
  g_autoptr(GError) error = NULL;

  lookup = ga_lookup_finish (GA_CLIENT (object), result, &error);

  if (self->lookup_cancellable == data->cancellable)
    g_clear_object (&self->lookup_cancellable);

  if (lookup == NULL)
    {
      /* Cancelled by a newer search: it may be tried again at once. */
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_hash_table_remove (self->attempted, data->chat_id);
      else
        g_debug ("Background lookup failed: %s", error->message);
    }
  else if (self->status != NULL)
    {
      GaAvatarInfo *info = ga_lookup_result_get_info (lookup);

      ga_chat_status_record (self->status, data->chat_id, ga_avatar_info_get_state (info),
                             g_get_real_time () / G_USEC_PER_SEC);
    }

  if (self->application != NULL)
    g_application_release (self->application);
}

static gboolean
needs_lookup (GaSearchProvider *self,
              const char       *chat_id)
{
  g_autofree char *file = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  gint64 time = 0;
  gpointer attempted;

  if (self->status != NULL && ga_chat_status_lookup (self->status, chat_id, NULL, &time) &&
      now - time < STATUS_FRESH_SECONDS)
    return FALSE;

  if (g_hash_table_lookup_extended (self->attempted, chat_id, NULL, &attempted) &&
      now - GPOINTER_TO_SIZE (attempted) < RETRY_SECONDS)
    return FALSE;

  if (self->cache != NULL && (file = ga_cache_lookup_chat_file (self->cache, chat_id)) != NULL)
    return FALSE;

  return TRUE;
}

/* A complete number the shell searches for: its picture is fetched in the background, so
 * that the next refinement of the search shows it. Only one at a time: a newer number
 * cancels the one before. The client paces every request (the process-wide limiter). */
static void
look_up_in_background (GaSearchProvider *self,
                       const char       *chat_id)
{
  GaClient *client;
  LookupData *data;

  if (!needs_lookup (self, chat_id))
    return;

  client = ensure_client (self);
  if (client == NULL)
    return;

  if (self->lookup_cancellable != NULL)
    g_cancellable_cancel (self->lookup_cancellable);
  g_clear_object (&self->lookup_cancellable);
  self->lookup_cancellable = g_cancellable_new ();

  g_hash_table_insert (self->attempted, g_strdup (chat_id),
                       GSIZE_TO_POINTER ((gsize) (g_get_real_time () / G_USEC_PER_SEC)));

  data = g_new0 (LookupData, 1);
  data->self = g_object_ref (self);
  data->cancellable = g_object_ref (self->lookup_cancellable);
  data->chat_id = g_strdup (chat_id);

  if (self->application != NULL)
    g_application_hold (self->application);

  ga_lookup_with_cache_async (client, self->cache, chat_id, data->cancellable, lookup_cb, data);
}

/* What the shell sends is split at white space: joined again, `+7 900 123-45-67` is one
 * number. Answers from memory (and a stat of the cache) only; never waits for the network. */
static GPtrArray *
search (GaSearchProvider   *self,
        const char * const *terms)
{
  g_autoptr(GPtrArray) results = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *text = NULL;
  g_autofree char *chat_id = NULL;
  g_autofree char *digits = NULL;
  gsize length = 0;

  for (guint i = 0; terms[i] != NULL; i++)
    length += strlen (terms[i]) + 1;
  if (length == 0 || length > GA_CHAT_ID_MAX_INPUT)
    return g_steal_pointer (&results);

  text = g_strjoinv (" ", (char **) terms);
  g_strstrip (text);
  if (text[0] == '\0')
    return g_steal_pointer (&results);

  chat_id = ga_chat_id_parse (text, NULL, NULL);
  if (chat_id != NULL)
    {
      g_ptr_array_add (results, g_strdup (chat_id));
      look_up_in_background (self, chat_id);
      return g_steal_pointer (&results);
    }

  /* A partial number: a couple of digits match too much to be of use. */
  digits = number_digits (text);
  if (digits != NULL)
    {
      if (strlen (digits) < PARTIAL_MIN_DIGITS)
        return g_steal_pointer (&results);

      add_history (self, results, digits);
      add_contacts (self, results, digits);
      return g_steal_pointer (&results);
    }

  add_contacts (self, results, text);

  return g_steal_pointer (&results);
}

static GVariant *
results_variant (GPtrArray *results)
{
  GVariantBuilder builder;

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("as"));
  for (guint i = 0; i < results->len; i++)
    g_variant_builder_add (&builder, "s", g_ptr_array_index (results, i));

  return g_variant_new ("(as)", &builder);
}

/* Metas */

static GVariant *
serialized_icon (GaSearchProvider *self,
                 const char       *chat_id,
                 gboolean          may_have_picture)
{
  g_autoptr(GIcon) icon = NULL;
  g_autofree char *path = NULL;

  if (may_have_picture && self->cache != NULL)
    path = ga_cache_lookup_chat_file (self->cache, chat_id);

  if (path != NULL)
    {
      g_autoptr(GFile) file = g_file_new_for_path (path);

      icon = g_file_icon_new (file);
    }
  else
    {
      icon = g_themed_icon_new (APP_ID);
    }

  return g_icon_serialize (icon);
}

static gboolean
chat_id_is_canonical (const char *id)
{
  g_autofree char *parsed = NULL;

  if (!g_utf8_validate (id, -1, NULL) || strchr (id, '@') == NULL)
    return FALSE;

  parsed = ga_chat_id_parse (id, NULL, NULL);
  return g_strcmp0 (parsed, id) == 0;
}

static void
add_meta (GaSearchProvider *self,
          GVariantBuilder  *builder,
          const char       *chat_id)
{
  g_autofree char *name = NULL;
  g_autoptr(GVariant) icon = NULL;
  GaAvatarState state = GA_AVATAR_STATE_HAS_AVATAR;
  gboolean known = FALSE;
  const char *description;

  if (self->get_name != NULL)
    name = self->get_name (chat_id, self->contacts_data);
  if (name == NULL || name[0] == '\0')
    {
      g_free (name);
      name = ga_text_format_chat_id (chat_id);
    }

  if (self->status != NULL)
    known = ga_chat_status_lookup (self->status, chat_id, &state, NULL);

  if (known && state == GA_AVATAR_STATE_PRIVATE)
    description = _("Private");
  else if (known && state == GA_AVATAR_STATE_NOT_SET)
    description = _("No picture set");
  else
    description = chat_id;

  icon = serialized_icon (self, chat_id, !known || state == GA_AVATAR_STATE_HAS_AVATAR);

  g_variant_builder_open (builder, G_VARIANT_TYPE ("a{sv}"));
  g_variant_builder_add (builder, "{sv}", "id", g_variant_new_string (chat_id));
  g_variant_builder_add (builder, "{sv}", "name", g_variant_new_string (name));
  g_variant_builder_add (builder, "{sv}", "description", g_variant_new_string (description));
  if (icon != NULL)
    g_variant_builder_add (builder, "{sv}", "icon", icon);
  g_variant_builder_close (builder);
}

static GVariant *
metas_variant (GaSearchProvider   *self,
               const char * const *ids)
{
  GVariantBuilder builder;

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("aa{sv}"));
  for (guint i = 0; ids[i] != NULL && i < MAX_METAS; i++)
    {
      /* The shell only hands back what this provider gave it; anything else is skipped. */
      if (chat_id_is_canonical (ids[i]))
        add_meta (self, &builder, ids[i]);
    }

  return g_variant_new ("(aa{sv})", &builder);
}

/* D-Bus */

static void
method_call_cb (GDBusConnection       *connection,
                const char            *sender,
                const char            *object_path,
                const char            *interface_name,
                const char            *method_name,
                GVariant              *parameters,
                GDBusMethodInvocation *invocation,
                gpointer               user_data)
{
  GaSearchProvider *self = user_data;

  touch (self);

  if (g_strcmp0 (method_name, "GetInitialResultSet") == 0)
    {
      g_autofree const char **terms = NULL;
      g_autoptr(GPtrArray) results = NULL;

      g_variant_get (parameters, "(^a&s)", &terms);
      results = search (self, terms);
      g_dbus_method_invocation_return_value (invocation, results_variant (results));
    }
  else if (g_strcmp0 (method_name, "GetSubsearchResultSet") == 0)
    {
      g_autofree const char **previous = NULL;
      g_autofree const char **terms = NULL;
      g_autoptr(GPtrArray) results = NULL;

      /* Searching afresh is as quick as filtering, and finds a picture fetched meanwhile. */
      g_variant_get (parameters, "(^a&s^a&s)", &previous, &terms);
      results = search (self, terms);
      g_dbus_method_invocation_return_value (invocation, results_variant (results));
    }
  else if (g_strcmp0 (method_name, "GetResultMetas") == 0)
    {
      g_autofree const char **ids = NULL;

      g_variant_get (parameters, "(^a&s)", &ids);
      g_dbus_method_invocation_return_value (invocation, metas_variant (self, ids));
    }
  else if (g_strcmp0 (method_name, "ActivateResult") == 0)
    {
      const char *id = NULL;
      g_autofree const char **terms = NULL;
      guint32 timestamp = 0;

      g_variant_get (parameters, "(&s^a&su)", &id, &terms, &timestamp);
      if (chat_id_is_canonical (id))
        g_signal_emit (self, signals[ACTIVATE_CHAT], 0, id, timestamp);
      g_dbus_method_invocation_return_value (invocation, NULL);
    }
  else if (g_strcmp0 (method_name, "LaunchSearch") == 0)
    {
      g_autofree const char **terms = NULL;
      g_autofree char *text = NULL;
      guint32 timestamp = 0;

      g_variant_get (parameters, "(^a&su)", &terms, &timestamp);
      text = g_strjoinv (" ", (char **) terms);
      if (strlen (text) <= GA_CHAT_ID_MAX_INPUT)
        g_signal_emit (self, signals[LAUNCH_SEARCH], 0, text, timestamp);
      g_dbus_method_invocation_return_value (invocation, NULL);
    }
  else
    {
      g_dbus_method_invocation_return_error (invocation, G_DBUS_ERROR,
                                             G_DBUS_ERROR_UNKNOWN_METHOD,
                                             "No method %s", method_name);
    }
}

static const GDBusInterfaceVTable vtable = {
  method_call_cb,
  NULL,
  NULL,
  { 0 }
};

/**
 * ga_search_provider_export:
 * @self: a #GaSearchProvider
 * @connection: the bus connection of the application
 * @object_path: usually %GA_SEARCH_PROVIDER_PATH
 * @error: a #GIOError
 *
 * Exports org.gnome.Shell.SearchProvider2 at @object_path.
 *
 * Returns: whether it was exported
 */
gboolean
ga_search_provider_export (GaSearchProvider  *self,
                           GDBusConnection   *connection,
                           const char        *object_path,
                           GError           **error)
{
  static GDBusNodeInfo *node_info;

  g_return_val_if_fail (GA_IS_SEARCH_PROVIDER (self), FALSE);
  g_return_val_if_fail (G_IS_DBUS_CONNECTION (connection), FALSE);
  g_return_val_if_fail (self->registration_id == 0, FALSE);

  if (g_once_init_enter (&node_info))
    g_once_init_leave (&node_info, g_dbus_node_info_new_for_xml (introspection_xml, NULL));

  self->registration_id = g_dbus_connection_register_object (connection, object_path,
                                                             node_info->interfaces[0],
                                                             &vtable, self, NULL, error);
  if (self->registration_id == 0)
    return FALSE;

  self->connection = g_object_ref (connection);

  /* Started by the shell for a search: wait a minute for it to ask. */
  if (self->application != NULL &&
      (g_application_get_flags (self->application) & G_APPLICATION_IS_SERVICE) != 0)
    touch (self);

  return TRUE;
}

void
ga_search_provider_unexport (GaSearchProvider *self)
{
  g_return_if_fail (GA_IS_SEARCH_PROVIDER (self));

  if (self->registration_id != 0)
    g_dbus_connection_unregister_object (self->connection, self->registration_id);
  self->registration_id = 0;
  g_clear_object (&self->connection);
}

/* Object */

static void
ga_search_provider_dispose (GObject *object)
{
  GaSearchProvider *self = GA_SEARCH_PROVIDER (object);

  ga_search_provider_unexport (self);

  if (self->lookup_cancellable != NULL)
    g_cancellable_cancel (self->lookup_cancellable);
  g_clear_object (&self->lookup_cancellable);

  g_clear_handle_id (&self->idle_id, g_source_remove);
  if (self->held && self->application != NULL)
    g_application_release (self->application);
  self->held = FALSE;
  /* A background lookup that answers later must not touch the application any more. */
  self->application = NULL;

  if (self->contacts_destroy != NULL)
    self->contacts_destroy (self->contacts_data);
  self->contacts_destroy = NULL;
  self->contacts_data = NULL;
  self->match = NULL;
  self->get_name = NULL;

  g_clear_object (&self->client);
  g_clear_object (&self->status);
  g_clear_object (&self->cache);
  g_clear_object (&self->session);
  if (self->credentials != NULL)
    g_signal_handlers_disconnect_by_func (self->credentials, credentials_changed_cb, self);
  g_clear_object (&self->credentials);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (ga_search_provider_parent_class)->dispose (object);
}

static void
ga_search_provider_finalize (GObject *object)
{
  GaSearchProvider *self = GA_SEARCH_PROVIDER (object);

  g_hash_table_unref (self->attempted);
  g_free (self->id_instance);

  G_OBJECT_CLASS (ga_search_provider_parent_class)->finalize (object);
}

static void
ga_search_provider_class_init (GaSearchProviderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ga_search_provider_dispose;
  object_class->finalize = ga_search_provider_finalize;

  /**
   * GaSearchProvider::activate-chat:
   * @chat_id: the canonical chat ID the person chose
   * @timestamp: the X11 time of the click, or 0
   *
   * The shell asks for the window with this chat looked up.
   */
  signals[ACTIVATE_CHAT] =
    g_signal_new ("activate-chat", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_UINT);

  /**
   * GaSearchProvider::launch-search:
   * @text: the terms joined with spaces
   * @timestamp: the X11 time of the click, or 0
   *
   * The shell asks for the window with @text in its entry.
   */
  signals[LAUNCH_SEARCH] =
    g_signal_new ("launch-search", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_UINT);
}

static void
ga_search_provider_init (GaSearchProvider *self)
{
  self->attempted = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

/**
 * ga_search_provider_new:
 * @application: (nullable): held while the shell searches
 * @settings: (nullable): the app's settings, for the recent lookups
 * @credentials: (nullable): for background lookups
 * @session: (nullable): the app's one session
 * @cache: (nullable): the picture cache
 * @status: (nullable): the last answer per chat
 *
 * Returns: (transfer full): a provider; export it with ga_search_provider_export()
 */
GaSearchProvider *
ga_search_provider_new (GApplication  *application,
                        GSettings     *settings,
                        GaCredentials *credentials,
                        SoupSession   *session,
                        GaCache       *cache,
                        GaChatStatus  *status)
{
  GaSearchProvider *self = g_object_new (GA_TYPE_SEARCH_PROVIDER, NULL);

  self->application = application;
  ga_search_provider_set_services (self, settings, credentials, session, cache, status);

  return self;
}

/* The credentials changed: the next lookup makes a client with the new ones. Another instance
 * chosen: the lookup on its way through the last one is given up (its answer would be
 * recorded as this one's), and what was tried through that one may be tried through this one
 * at once. */
static void
credentials_changed_cb (GaSearchProvider *self)
{
  const char *id_instance = NULL;

  g_clear_object (&self->client);

  if (self->credentials != NULL)
    id_instance = ga_credentials_get_id_instance (self->credentials);
  if (g_strcmp0 (id_instance, self->id_instance) == 0)
    return;

  g_free (self->id_instance);
  self->id_instance = g_strdup (id_instance);

  if (self->lookup_cancellable != NULL)
    g_cancellable_cancel (self->lookup_cancellable);
  g_clear_object (&self->lookup_cancellable);
  g_hash_table_remove_all (self->attempted);
}

/**
 * ga_search_provider_set_services:
 * @self: a #GaSearchProvider
 * @settings: (nullable): the app's settings, for the recent lookups
 * @credentials: (nullable): for background lookups
 * @session: (nullable): the app's one session
 * @cache: (nullable): the picture cache
 * @status: (nullable): the last answer per chat
 *
 * Hands the provider the application's services, which GApplication makes at startup, after
 * the provider was exported on the bus.
 */
void
ga_search_provider_set_services (GaSearchProvider *self,
                                 GSettings        *settings,
                                 GaCredentials    *credentials,
                                 SoupSession      *session,
                                 GaCache          *cache,
                                 GaChatStatus     *status)
{
  g_return_if_fail (GA_IS_SEARCH_PROVIDER (self));

  g_set_object (&self->settings, settings);
  if (self->credentials != NULL)
    g_signal_handlers_disconnect_by_func (self->credentials, credentials_changed_cb, self);
  g_set_object (&self->credentials, credentials);
  /* Another instance chosen: its own client, never the last one's. */
  if (credentials != NULL)
    g_signal_connect_swapped (credentials, "changed", G_CALLBACK (credentials_changed_cb), self);
  g_set_object (&self->session, session);
  g_set_object (&self->cache, cache);
  g_set_object (&self->status, status);
  credentials_changed_cb (self);
}

/**
 * ga_search_provider_set_contacts:
 * @self: a #GaSearchProvider
 * @match: (nullable): finds contacts by name or number
 * @get_name: (nullable): a chat's contact name
 * @user_data: for both
 * @destroy: (nullable): frees @user_data
 *
 * Plugs in the contacts list: words then give the contacts whose names match.
 */
void
ga_search_provider_set_contacts (GaSearchProvider  *self,
                                 GaSearchMatchFunc  match,
                                 GaSearchNameFunc   get_name,
                                 gpointer           user_data,
                                 GDestroyNotify     destroy)
{
  g_return_if_fail (GA_IS_SEARCH_PROVIDER (self));

  if (self->contacts_destroy != NULL)
    self->contacts_destroy (self->contacts_data);

  self->match = match;
  self->get_name = get_name;
  self->contacts_data = user_data;
  self->contacts_destroy = destroy;
}

static GStrv
contact_list_match (const char *query,
                    guint       max_results,
                    gpointer    user_data)
{
  g_autoptr(GPtrArray) contacts = ga_contact_list_complete (user_data, query, max_results);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; i < contacts->len; i++)
    g_strv_builder_add (builder, ga_contact_get_chat_id (g_ptr_array_index (contacts, i)));

  return g_strv_builder_end (builder);
}

static char *
contact_list_get_name (const char *chat_id,
                       gpointer    user_data)
{
  GaContact *contact = ga_contact_list_lookup (user_data, chat_id);

  return contact != NULL ? g_strdup (ga_contact_get_display_name (contact)) : NULL;
}

/**
 * ga_search_provider_set_contact_list:
 * @self: a #GaSearchProvider
 * @list: (nullable): the contacts list (getContacts), already loaded or loading
 *
 * Words then give the contacts whose names match, partial numbers the contacts whose numbers
 * contain them, and results show the contact's name.
 */
void
ga_search_provider_set_contact_list (GaSearchProvider *self,
                                     GaContactList    *list)
{
  g_return_if_fail (GA_IS_SEARCH_PROVIDER (self));
  g_return_if_fail (list == NULL || GA_IS_CONTACT_LIST (list));

  if (list == NULL)
    ga_search_provider_set_contacts (self, NULL, NULL, NULL, NULL);
  else
    ga_search_provider_set_contacts (self, contact_list_match, contact_list_get_name,
                                     g_object_ref (list), g_object_unref);
}

gboolean
ga_search_provider_get_busy (GaSearchProvider *self)
{
  g_return_val_if_fail (GA_IS_SEARCH_PROVIDER (self), FALSE);

  return self->lookup_cancellable != NULL;
}
