/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "ga-preferences-window"

#include "config.h"

#include "ga-preferences-window.h"

#include "ga-account-button.h"
#include "ga-cache.h"
#include "ga-client.h"
#include "ga-error.h"
#include "ga-http.h"
#include "ga-instances-group.h"
#include "ga-recent.h"
#include "ga-response.h"
#include "ga-settings-check.h"
#include "ga-text.h"

#include <glib/gi18n.h>
#include <string.h>

#define CONSOLE_URL "https://console.green-api.com"

typedef enum
{
  FIELD_API_URL,
  FIELD_ID_INSTANCE,
  FIELD_TOKEN,
  N_FIELDS
} Field;

struct _GaPreferencesPage
{
  AdwPreferencesPage   parent_instance;

  GaCredentials       *credentials;     /* (owned) */
  GSettings           *settings;        /* (owned) (nullable): history */
  GaCache             *cache;           /* (owned) (nullable): the saved pictures */
  GCancellable        *cache_cancellable; /* (owned): measuring and clearing the cache */
  SoupSession         *session;         /* (owned): the application's, for "Test Connection" */
  GCancellable        *cancellable;     /* (owned): the connection test */

  /* Template children (not owned). */
  GaInstancesGroup    *instances_group;
  AdwPreferencesGroup *instance_group;
  AdwEntryRow         *api_url_row;
  AdwEntryRow         *id_instance_row;
  AdwEntryRow         *token_row;
  GtkLabel            *api_url_message;
  GtkLabel            *id_instance_message;
  GtkLabel            *token_message;
  GtkWidget           *token_note_box;
  GtkImage            *token_note_icon;
  GtkLabel            *token_note;
  GtkLabel            *override_note;
  AdwActionRow        *test_row;
  GtkSpinner          *test_spinner;
  GtkButton           *test_button;
  GtkWidget           *test_result_box;
  GtkImage            *test_result_icon;
  GtkLabel            *test_result;
  GaAccountButton     *test_account;
  AdwActionRow        *console_row;
  GtkWidget           *privacy_group;
  GtkWidget           *history_row;
  GtkSwitch           *history_switch;
  AdwActionRow        *cache_row;
  GtkWidget           *cache_clear_button;

  /* Fields the person edited since they were last applied or loaded. */
  gboolean             dirty[N_FIELDS];
  /* Set while the rows are filled from the credentials, so that is not taken as an edit. */
  gboolean             filling;
};

G_DEFINE_FINAL_TYPE (GaPreferencesPage, ga_preferences_page, ADW_TYPE_PREFERENCES_PAGE)

enum {
  PROP_0,
  PROP_CREDENTIALS,
  PROP_SESSION,
  PROP_SETTINGS,
  PROP_CACHE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static AdwEntryRow *
field_row (GaPreferencesPage *self,
           Field              field)
{
  switch (field)
    {
    case FIELD_API_URL:
      return self->api_url_row;
    case FIELD_ID_INSTANCE:
      return self->id_instance_row;
    case FIELD_TOKEN:
    case N_FIELDS:
    default:
      return self->token_row;
    }
}

static GtkLabel *
field_message (GaPreferencesPage *self,
               Field              field)
{
  switch (field)
    {
    case FIELD_API_URL:
      return self->api_url_message;
    case FIELD_ID_INSTANCE:
      return self->id_instance_message;
    case FIELD_TOKEN:
    case N_FIELDS:
    default:
      return self->token_message;
    }
}

static Field
row_field (GaPreferencesPage *self,
           AdwEntryRow       *row)
{
  if (row == self->api_url_row)
    return FIELD_API_URL;
  if (row == self->id_instance_row)
    return FIELD_ID_INSTANCE;

  return FIELD_TOKEN;
}

static GaCredentialsFields
field_flag (Field field)
{
  switch (field)
    {
    case FIELD_API_URL:
      return GA_CREDENTIALS_FIELD_API_URL;
    case FIELD_ID_INSTANCE:
      return GA_CREDENTIALS_FIELD_ID_INSTANCE;
    case FIELD_TOKEN:
    case N_FIELDS:
    default:
      return GA_CREDENTIALS_FIELD_TOKEN;
    }
}

/* What the row holds, without the spaces and line breaks that come along with a paste. */
static char *
field_text (GaPreferencesPage *self,
            Field              field)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (field_row (self, field)));

  return g_strstrip (g_strdup (text));
}

static gboolean
field_is_editable (GaPreferencesPage *self,
                   Field              field)
{
  return !ga_credentials_get_demo (self->credentials) &&
         !(ga_credentials_get_overridden (self->credentials) & field_flag (field));
}

/* Validation */

static void
show_field_error (GaPreferencesPage *self,
                  Field              field,
                  const GError      *error)
{
  AdwEntryRow *row = field_row (self, field);
  GtkLabel *message = field_message (self, field);

  if (error != NULL)
    {
      gtk_widget_add_css_class (GTK_WIDGET (row), "error");
      gtk_label_set_text (message, error->message);
      gtk_widget_set_visible (GTK_WIDGET (message), TRUE);
      gtk_accessible_update_state (GTK_ACCESSIBLE (row),
                                   GTK_ACCESSIBLE_STATE_INVALID, GTK_ACCESSIBLE_INVALID_TRUE,
                                   -1);
      gtk_accessible_update_relation (GTK_ACCESSIBLE (row),
                                      GTK_ACCESSIBLE_RELATION_DESCRIBED_BY, message, NULL,
                                      -1);
    }
  else
    {
      gtk_widget_remove_css_class (GTK_WIDGET (row), "error");
      gtk_label_set_text (message, "");
      gtk_widget_set_visible (GTK_WIDGET (message), FALSE);
      gtk_accessible_reset_state (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_STATE_INVALID);
      gtk_accessible_reset_relation (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_RELATION_DESCRIBED_BY);
    }
}

/* Checks one field and shows the result under the group. Returns: %TRUE when valid. */
static gboolean
check_field (GaPreferencesPage *self,
             Field              field)
{
  g_autofree char *text = field_text (self, field);
  g_autoptr(GError) error = NULL;

  ga_settings_check (field == FIELD_API_URL ? text : NULL,
                     field == FIELD_ID_INSTANCE ? text : NULL,
                     field == FIELD_TOKEN ? text : NULL,
                     &error);
  show_field_error (self, field, error);

  return error == NULL;
}

/* Filling the rows from the credentials */

static void
update_token_note (GaPreferencesPage *self)
{
  GaCredentials *credentials = self->credentials;
  const char *problem = ga_credentials_get_secret_problem (credentials);
  g_autofree char *token = NULL;
  const char *icon_name;
  const char *text;
  gboolean warning = FALSE;

  token = ga_credentials_dup_token (credentials);

  if (ga_credentials_get_demo (credentials))
    {
      icon_name = "dialog-information-symbolic";
      text = _("Demo mode: the built-in demo server answers and nothing is saved.");
    }
  else if (ga_credentials_get_overridden (credentials) & GA_CREDENTIALS_FIELD_TOKEN)
    {
      /* The note about the environment variables says it all. */
      gtk_widget_set_visible (self->token_note_box, FALSE);
      return;
    }
  else if (problem != NULL)
    {
      icon_name = "dialog-warning-symbolic";
      text = problem;
      warning = TRUE;
    }
  else if (ga_credentials_get_token_remembered (credentials))
    {
      icon_name = "channel-secure-symbolic";
      text = _("Stored in the system keyring.");
    }
  else if (token != NULL && ga_credentials_get_id_instance (credentials) == NULL)
    {
      icon_name = "dialog-information-symbolic";
      text = _("The token is stored in the system keyring once the instance ID is set.");
    }
  else
    {
      icon_name = "channel-secure-symbolic";
      text = _("The token is stored in the system keyring, never in a file.");
    }

  gtk_widget_set_visible (self->token_note_box, TRUE);
  gtk_image_set_from_icon_name (self->token_note_icon, icon_name);
  gtk_label_set_text (self->token_note, text);

  if (warning)
    {
      gtk_widget_add_css_class (self->token_note_box, "warning");
      gtk_widget_remove_css_class (self->token_note_box, "dim-label");
    }
  else
    {
      gtk_widget_remove_css_class (self->token_note_box, "warning");
      gtk_widget_add_css_class (self->token_note_box, "dim-label");
    }

  if (token != NULL)
    memset (token, 0, strlen (token));
}

static void
update_override_note (GaPreferencesPage *self)
{
  GaCredentialsFields overridden = ga_credentials_get_overridden (self->credentials);
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  g_autofree char *list = NULL;
  g_autofree char *text = NULL;

  if (overridden & GA_CREDENTIALS_FIELD_API_URL)
    g_ptr_array_add (names, (gpointer) "GREEN_API_URL");
  if (overridden & GA_CREDENTIALS_FIELD_ID_INSTANCE)
    g_ptr_array_add (names, (gpointer) "GREEN_API_ID_INSTANCE");
  if (overridden & GA_CREDENTIALS_FIELD_TOKEN)
    g_ptr_array_add (names, (gpointer) "GREEN_API_TOKEN");

  if (names->len == 0)
    {
      gtk_widget_set_visible (GTK_WIDGET (self->override_note), FALSE);
      return;
    }

  g_ptr_array_add (names, NULL);
  list = g_strjoinv (", ", (char **) names->pdata);
  /* TRANSLATORS: %s is a list of environment variable names, e.g.
   * "GREEN_API_URL, GREEN_API_TOKEN". */
  text = g_strdup_printf (ngettext ("Set by the environment variable %s for this session only, "
                                    "so it cannot be changed here and is not saved. Start Green "
                                    "Avatar without it to edit it.",
                                    "Set by the environment variables %s for this session only, "
                                    "so they cannot be changed here and are not saved. Start Green "
                                    "Avatar without them to edit them.",
                                    names->len - 1),
                          list);
  gtk_label_set_text (self->override_note, text);
  gtk_widget_set_visible (GTK_WIDGET (self->override_note), TRUE);
}

static void
fill_rows (GaPreferencesPage *self)
{
  g_autofree char *token = NULL;
  const char *values[N_FIELDS];

  token = ga_credentials_dup_token (self->credentials);
  values[FIELD_API_URL] = ga_credentials_get_api_url (self->credentials);
  values[FIELD_ID_INSTANCE] = ga_credentials_get_id_instance (self->credentials);
  values[FIELD_TOKEN] = token;

  self->filling = TRUE;

  for (Field field = 0; field < N_FIELDS; field++)
    {
      AdwEntryRow *row = field_row (self, field);
      const char *value = values[field] != NULL ? values[field] : "";

      /* What the person is typing wins over what arrives meanwhile. */
      if (!self->dirty[field] &&
          g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (row)), value) != 0)
        {
          /* A focused row takes any change as an edit and offers to apply it again; turning
           * the button off and on around the change keeps it hidden. */
          adw_entry_row_set_show_apply_button (row, FALSE);
          gtk_editable_set_text (GTK_EDITABLE (row), value);
          adw_entry_row_set_show_apply_button (row, TRUE);
        }

      gtk_widget_set_sensitive (GTK_WIDGET (row), field_is_editable (self, field));
    }

  self->filling = FALSE;

  if (token != NULL)
    memset (token, 0, strlen (token));

  update_token_note (self);
  update_override_note (self);
}

static void
credentials_changed_cb (GaPreferencesPage *self)
{
  fill_rows (self);
}

/* Saving */

static void
save_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GaPreferencesPage) self = user_data;
  g_autoptr(GError) error = NULL;

  /* Storing problems land in "secret-problem" and the note shows them; only invalid values
   * fail, and those were never sent. */
  if (!ga_credentials_save_finish (GA_CREDENTIALS (object), result, &error))
    {
      g_debug ("Could not save the settings: %s", error->message);
      return;
    }

  update_token_note (self);
}

/* Saves the fields in @fields that the person changed and that are valid. */
static void
save_fields (GaPreferencesPage *self,
             const gboolean     fields[N_FIELDS])
{
  char *values[N_FIELDS] = { NULL, };
  gboolean any = FALSE;

  for (Field field = 0; field < N_FIELDS; field++)
    {
      if (!fields[field] || !field_is_editable (self, field) || !check_field (self, field))
        continue;

      values[field] = field_text (self, field);
      self->dirty[field] = FALSE;
      any = TRUE;
    }

  if (any)
    ga_credentials_save_async (self->credentials,
                               values[FIELD_API_URL],
                               values[FIELD_ID_INSTANCE],
                               values[FIELD_TOKEN],
                               NULL, /* saving must outlive the window */
                               save_cb,
                               g_object_ref (self));

  for (Field field = 0; field < N_FIELDS; field++)
    {
      if (values[field] != NULL)
        memset (values[field], 0, strlen (values[field]));
      g_free (values[field]);
    }
}

static void
row_changed_cb (GaPreferencesPage *self,
                GtkEditable       *editable)
{
  Field field = row_field (self, ADW_ENTRY_ROW (editable));

  if (self->filling)
    return;

  self->dirty[field] = TRUE;
  check_field (self, field);
}

static void
row_apply_cb (GaPreferencesPage *self,
              AdwEntryRow       *row)
{
  gboolean fields[N_FIELDS] = { FALSE, };

  fields[row_field (self, row)] = TRUE;
  save_fields (self, fields);
}

static void
page_unmap_cb (GaPreferencesPage *self)
{
  /* Closing the window keeps what was typed, as long as it is valid. */
  save_fields (self, self->dirty);
}

/* Testing the connection */

static void
show_test_result (GaPreferencesPage *self,
                  const char        *text,
                  const char        *icon_name,
                  const char        *style)
{
  gtk_widget_remove_css_class (self->test_result_box, "success");
  gtk_widget_remove_css_class (self->test_result_box, "warning");
  gtk_widget_remove_css_class (self->test_result_box, "error");
  gtk_widget_add_css_class (self->test_result_box, style);

  gtk_image_set_from_icon_name (self->test_result_icon, icon_name);
  gtk_label_set_text (self->test_result, text);
  gtk_widget_set_visible (self->test_result_box, TRUE);
}

static void
set_testing (GaPreferencesPage *self,
             gboolean           testing)
{
  gtk_widget_set_visible (GTK_WIDGET (self->test_spinner), testing);
  gtk_spinner_set_spinning (self->test_spinner, testing);
  gtk_widget_set_sensitive (GTK_WIDGET (self->test_button), !testing);
}

static void
get_state_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  GaPreferencesPage *self;
  g_autoptr(GError) error = NULL;
  GaInstanceState state = GA_INSTANCE_STATE_UNKNOWN;

  /* The page may be gone: it cancels in dispose, so check that before touching it. */
  if (!ga_client_get_state_finish (GA_CLIENT (object), result, &state, &error) &&
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = GA_PREFERENCES_PAGE (user_data);
  set_testing (self, FALSE);

  if (error != NULL)
    show_test_result (self, error->message, "dialog-error-symbolic", "error");
  else if (state == GA_INSTANCE_STATE_AUTHORIZED)
    {
      show_test_result (self, ga_response_describe_state (state), "object-select-symbolic",
                        "success");
      /* Which account: its number and picture (getWaSettings), unless the contact details
       * are turned off. */
      if (self->settings != NULL && g_settings_get_boolean (self->settings, "contact-details"))
        {
          gtk_widget_set_visible (GTK_WIDGET (self->test_account), TRUE);
          ga_account_button_set_client (self->test_account, GA_CLIENT (object));
        }
    }
  else
    show_test_result (self, ga_response_describe_state (state),
                      "dialog-warning-symbolic", "warning");
}

static void
test_account_cb (GaPreferencesPage *self)
{
  const char *chat_id = ga_account_button_get_chat_id (self->test_account);
  g_autofree char *number = NULL;
  g_autofree char *text = NULL;

  if (chat_id == NULL)
    return;

  number = ga_text_format_chat_id (chat_id);
  text = g_strdup_printf (_("%s Linked WhatsApp account: %s."),
                          ga_response_describe_state (GA_INSTANCE_STATE_AUTHORIZED), number);
  gtk_label_set_text (self->test_result, text);
}

static void
test_clicked_cb (GaPreferencesPage *self)
{
  char *values[N_FIELDS] = { NULL, };
  g_autoptr(GaClient) client = NULL;
  gboolean valid = TRUE;

  /* Invalid values never become a request: they would leak nothing, but fail confusingly. */
  for (Field field = 0; field < N_FIELDS; field++)
    valid &= check_field (self, field);

  if (!valid)
    {
      show_test_result (self, _("Correct the values above to test the connection."),
                        "dialog-error-symbolic", "error");
      return;
    }

  for (Field field = 0; field < N_FIELDS; field++)
    values[field] = field_text (self, field);

  client = ga_client_new (self->session,
                          values[FIELD_API_URL],
                          values[FIELD_ID_INSTANCE],
                          values[FIELD_TOKEN]);

  for (Field field = 0; field < N_FIELDS; field++)
    {
      memset (values[field], 0, strlen (values[field]));
      g_clear_pointer (&values[field], g_free);
    }

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  set_testing (self, TRUE);
  gtk_widget_set_visible (self->test_result_box, FALSE);
  gtk_widget_set_visible (GTK_WIDGET (self->test_account), FALSE);
  ga_account_button_set_client (self->test_account, NULL);

  ga_client_get_state_async (client, self->cancellable, get_state_cb, self);
}

static void
console_activated_cb (GaPreferencesPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  gtk_show_uri (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, CONSOLE_URL, GDK_CURRENT_TIME);
}

/* History and the picture cache */

static void
history_switch_cb (GaPreferencesPage *self)
{
  /* Turning history off forgets what it kept, as the row says. */
  if (self->settings != NULL && !gtk_switch_get_active (self->history_switch))
    ga_recent_clear (self->settings);
}

static void
measure_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  GaPreferencesPage *self;
  g_autoptr(GError) error = NULL;
  g_autofree char *size = NULL;
  g_autofree char *subtitle = NULL;
  guint64 bytes;

  bytes = ga_cache_measure_finish (GA_CACHE (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  /* Not cancelled, so the page is still there (it cancels in dispose). */
  self = GA_PREFERENCES_PAGE (user_data);

  if (error != NULL)
    {
      adw_action_row_set_subtitle (self->cache_row, _("The size could not be measured"));
      gtk_widget_set_sensitive (self->cache_clear_button, TRUE);
      return;
    }

  if (bytes == 0)
    {
      adw_action_row_set_subtitle (self->cache_row,
                                   _("None yet: pictures are kept to show them at once next time"));
      gtk_widget_set_sensitive (self->cache_clear_button, FALSE);
      return;
    }

  size = g_format_size (bytes);
  /* Translators: %s is a size, e.g. "2.1 MB" */
  subtitle = g_strdup_printf (_("%s, to show pictures at once next time"), size);
  adw_action_row_set_subtitle (self->cache_row, subtitle);
  gtk_widget_set_sensitive (self->cache_clear_button, TRUE);
}

static void
measure_cache (GaPreferencesPage *self)
{
  if (self->cache == NULL)
    return;

  ga_cache_measure_async (self->cache, self->cache_cancellable, measure_cb, self);
}

static void
clear_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  GaPreferencesPage *self;
  g_autoptr(GError) error = NULL;

  if (!ga_cache_clear_finish (GA_CACHE (object), result, &error) &&
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = GA_PREFERENCES_PAGE (user_data);

  if (error != NULL)
    {
      g_autofree char *subtitle = NULL;

      /* Translators: %s says why, e.g. "Permission denied" */
      subtitle = g_strdup_printf (_("Not all saved pictures could be removed: %s"),
                                  error->message);
      adw_action_row_set_subtitle (self->cache_row, subtitle);
      gtk_widget_set_sensitive (self->cache_clear_button, TRUE);
      return;
    }

  measure_cache (self);
}

static void
cache_clear_cb (GaPreferencesPage *self)
{
  if (self->cache == NULL)
    return;

  gtk_widget_set_sensitive (self->cache_clear_button, FALSE);
  adw_action_row_set_subtitle (self->cache_row, _("Clearing…"));
  ga_cache_clear_async (self->cache, self->cache_cancellable, clear_cb, self);
}

/* GObject */

static void
ga_preferences_page_constructed (GObject *object)
{
  GaPreferencesPage *self = GA_PREFERENCES_PAGE (object);

  G_OBJECT_CLASS (ga_preferences_page_parent_class)->constructed (object);

  g_return_if_fail (GA_IS_CREDENTIALS (self->credentials));
  g_return_if_fail (SOUP_IS_SESSION (self->session));

  g_signal_connect_object (self->credentials,
                           "changed",
                           G_CALLBACK (credentials_changed_cb),
                           self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->credentials,
                           "notify::secret-problem",
                           G_CALLBACK (update_token_note),
                           self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->credentials,
                           "notify::token-remembered",
                           G_CALLBACK (update_token_note),
                           self,
                           G_CONNECT_SWAPPED);

  fill_rows (self);

  gtk_widget_set_visible (self->history_row, self->settings != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->cache_row), self->cache != NULL);
  gtk_widget_set_visible (self->privacy_group, self->settings != NULL || self->cache != NULL);
  if (self->settings != NULL)
    g_settings_bind (self->settings, "history-enabled",
                     self->history_switch, "active",
                     G_SETTINGS_BIND_DEFAULT);
  measure_cache (self);
}

static void
ga_preferences_page_dispose (GObject *object)
{
  GaPreferencesPage *self = GA_PREFERENCES_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->cache_cancellable);

  gtk_widget_dispose_template (GTK_WIDGET (self), GA_TYPE_PREFERENCES_PAGE);

  G_OBJECT_CLASS (ga_preferences_page_parent_class)->dispose (object);
}

static void
ga_preferences_page_finalize (GObject *object)
{
  GaPreferencesPage *self = GA_PREFERENCES_PAGE (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->session);
  g_clear_object (&self->credentials);
  g_clear_object (&self->settings);
  g_clear_object (&self->cache);
  g_clear_object (&self->cache_cancellable);

  G_OBJECT_CLASS (ga_preferences_page_parent_class)->finalize (object);
}

static void
ga_preferences_page_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  GaPreferencesPage *self = GA_PREFERENCES_PAGE (object);

  switch (prop_id)
    {
    case PROP_CREDENTIALS:
      g_value_set_object (value, self->credentials);
      break;

    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;

    case PROP_SETTINGS:
      g_value_set_object (value, self->settings);
      break;

    case PROP_CACHE:
      g_value_set_object (value, self->cache);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ga_preferences_page_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  GaPreferencesPage *self = GA_PREFERENCES_PAGE (object);

  switch (prop_id)
    {
    case PROP_CREDENTIALS:
      self->credentials = g_value_dup_object (value);
      break;

    case PROP_SESSION:
      self->session = g_value_dup_object (value);
      break;

    case PROP_SETTINGS:
      self->settings = g_value_dup_object (value);
      break;

    case PROP_CACHE:
      self->cache = g_value_dup_object (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ga_preferences_page_class_init (GaPreferencesPageClass *klass)
{
  g_type_ensure (GA_TYPE_ACCOUNT_BUTTON);

  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  g_type_ensure (GA_TYPE_INSTANCES_GROUP);

  object_class->constructed = ga_preferences_page_constructed;
  object_class->dispose = ga_preferences_page_dispose;
  object_class->finalize = ga_preferences_page_finalize;
  object_class->get_property = ga_preferences_page_get_property;
  object_class->set_property = ga_preferences_page_set_property;

  properties[PROP_CREDENTIALS] =
    g_param_spec_object ("credentials", NULL, NULL,
                         GA_TYPE_CREDENTIALS,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL,
                         SOUP_TYPE_SESSION,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL,
                         G_TYPE_SETTINGS,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  properties[PROP_CACHE] =
    g_param_spec_object ("cache", NULL, NULL,
                         GA_TYPE_CACHE,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/ga-preferences-window.ui");

  gtk_widget_class_bind_template_child (widget_class, GaPreferencesPage, instances_group);
  gtk_widget_class_bind_template_child (widget_class, GaPreferencesPage, instance_group);
  gtk_widget_class_bind_template_child (widget_class, GaPreferencesPage, api_url_row);
  gtk_widget_class_bind_template_child (widget_class, GaPreferencesPage, id_instance_row);
  gtk_widget_class_bind_template_child (widget_class, GaPreferencesPage, token_row);
  gtk_widget_class_bind_template_child (widget_class, GaPreferencesPage, api_url_message);
  gtk_widget_class_bind_template_child (widget_class, GaPreferencesPage, id_instance_message);
  gtk_widget_class_bind_template_child (widget_class, GaPreferencesPage, token_message);
  gtk_widget_class_bind_template_child (widget_class, GaPreferencesPage, token_note_box);
  gtk_widget_class_bind_template_child (widget_class, GaPreferencesPage, token_note_icon);
  gtk_widget_class_bind_template_child (widget_class, GaPreferencesPage, token_note);
  gtk_widget_class_bind_template_child (widget_class, GaPreferencesPage, override_note);
  gtk_widget_class_bind_template_child (widget_class, GaPreferencesPage, test_row);
  gtk_widget_class_bind_template_child (widget_class, GaPreferencesPage, test_spinner);
  gtk_widget_class_bind_template_child (widget_class, GaPreferencesPage, test_button);
  gtk_widget_class_bind_template_child (widget_class, GaPreferencesPage, test_result_box);
  gtk_widget_class_bind_template_child (widget_class, GaPreferencesPage, test_account);
  gtk_widget_class_bind_template_child (widget_class, GaPreferencesPage, test_result_icon);
  gtk_widget_class_bind_template_child (widget_class, GaPreferencesPage, test_result);
  gtk_widget_class_bind_template_child (widget_class, GaPreferencesPage, console_row);
  gtk_widget_class_bind_template_child (widget_class, GaPreferencesPage, privacy_group);
  gtk_widget_class_bind_template_child (widget_class, GaPreferencesPage, history_row);
  gtk_widget_class_bind_template_child (widget_class, GaPreferencesPage, history_switch);
  gtk_widget_class_bind_template_child (widget_class, GaPreferencesPage, cache_row);
  gtk_widget_class_bind_template_child (widget_class, GaPreferencesPage, cache_clear_button);

  gtk_widget_class_bind_template_callback (widget_class, row_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, row_apply_cb);
  gtk_widget_class_bind_template_callback (widget_class, test_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, test_account_cb);
  gtk_widget_class_bind_template_callback (widget_class, console_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, history_switch_cb);
  gtk_widget_class_bind_template_callback (widget_class, cache_clear_cb);
}

static void
ga_preferences_page_init (GaPreferencesPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->cancellable = g_cancellable_new ();
  self->cache_cancellable = g_cancellable_new ();

  g_signal_connect (self, "unmap", G_CALLBACK (page_unmap_cb), NULL);
}

/**
 * ga_preferences_page_new:
 * @credentials: the application's credentials
 * @session: the application's session, for "Test Connection"
 * @settings: (nullable): the application's settings, for the history switch
 * @cache: (nullable): the picture cache, to show its size and clear it
 *
 * Returns: (transfer floating): the preferences content
 */
GaPreferencesPage *
ga_preferences_page_new (GaCredentials *credentials,
                         SoupSession   *session,
                         GSettings     *settings,
                         GaCache       *cache)
{
  g_return_val_if_fail (GA_IS_CREDENTIALS (credentials), NULL);
  g_return_val_if_fail (SOUP_IS_SESSION (session), NULL);
  g_return_val_if_fail (settings == NULL || G_IS_SETTINGS (settings), NULL);
  g_return_val_if_fail (cache == NULL || GA_IS_CACHE (cache), NULL);

  return g_object_new (GA_TYPE_PREFERENCES_PAGE,
                       "credentials", credentials,
                       "session", session,
                       "settings", settings,
                       "cache", cache,
                       NULL);
}

/**
 * ga_preferences_page_set_instances:
 * @instances: every configured instance
 *
 * Shows the list of instances above the current one's values (not in demo mode, and not
 * while GREEN_API_* variables define a temporary instance).
 */
void
ga_preferences_page_set_instances (GaPreferencesPage *self,
                                   GaInstances       *instances)
{
  g_return_if_fail (GA_IS_PREFERENCES_PAGE (self));
  g_return_if_fail (GA_IS_INSTANCES (instances));

  if (ga_credentials_get_demo (self->credentials) ||
      ga_credentials_get_overridden (self->credentials) != GA_CREDENTIALS_FIELD_NONE)
    return;

  ga_instances_group_set_instances (self->instances_group, instances, self->credentials,
                                    self->session);
  adw_preferences_group_set_title (self->instance_group, _("Current Instance"));
}

/**
 * ga_preferences_window_new:
 * @parent: (nullable): the main window; the preferences are modal to it
 * @credentials: the application's credentials
 * @session: the application's session
 * @settings: (nullable): the application's settings
 * @cache: (nullable): the picture cache
 *
 * Returns: (transfer none): a new preferences window, not yet presented; GTK owns it until it
 *   is closed
 */
GtkWindow *
ga_preferences_window_new (GtkWindow     *parent,
                           GaCredentials *credentials,
                           SoupSession   *session,
                           GSettings     *settings,
                           GaCache       *cache)
{
  GtkWidget *window;
  GaPreferencesPage *page;

  g_return_val_if_fail (parent == NULL || GTK_IS_WINDOW (parent), NULL);
  g_return_val_if_fail (GA_IS_CREDENTIALS (credentials), NULL);

  page = ga_preferences_page_new (credentials, session, settings, cache);

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  window = adw_preferences_window_new ();
  gtk_window_set_modal (GTK_WINDOW (window), parent != NULL);
  gtk_window_set_transient_for (GTK_WINDOW (window), parent);
  gtk_window_set_default_size (GTK_WINDOW (window), 600, 680);
  adw_preferences_window_set_search_enabled (ADW_PREFERENCES_WINDOW (window), FALSE);
  adw_preferences_window_add (ADW_PREFERENCES_WINDOW (window), ADW_PREFERENCES_PAGE (page));
  G_GNUC_END_IGNORE_DEPRECATIONS

  gtk_window_set_destroy_with_parent (GTK_WINDOW (window), TRUE);

  g_object_set_data (G_OBJECT (window), "ga-preferences-page", page);

  return GTK_WINDOW (window);
}

/* The page inside a window from ga_preferences_window_new(). */
GaPreferencesPage *
ga_preferences_window_get_page (GtkWindow *window)
{
  g_return_val_if_fail (GTK_IS_WINDOW (window), NULL);

  return g_object_get_data (G_OBJECT (window), "ga-preferences-page");
}

/**
 * ga_preferences_present:
 * @parent: the main window (or any widget in it)
 * @credentials: the application's credentials
 * @session: the application's session
 * @settings: (nullable): the application's settings
 * @cache: (nullable): the picture cache
 * @instances: (nullable): every configured instance
 *
 * Shows the preferences: an AdwPreferencesDialog with libadwaita >= 1.5, otherwise the window
 * of ga_preferences_window_new().
 */
void
ga_preferences_present (GtkWidget     *parent,
                        GaCredentials *credentials,
                        SoupSession   *session,
                        GSettings     *settings,
                        GaCache       *cache,
                        GaInstances   *instances)
{
  GaPreferencesPage *page;

  g_return_if_fail (GTK_IS_WIDGET (parent));
  g_return_if_fail (GA_IS_CREDENTIALS (credentials));

#if ADW_CHECK_VERSION (1, 5, 0)
  /* Newer than the 1.2 floor that the build pins, hence the pragmas. */
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  {
    AdwDialog *dialog = adw_preferences_dialog_new ();

    page = ga_preferences_page_new (credentials, session, settings, cache);
    if (instances != NULL)
      ga_preferences_page_set_instances (page, instances);
    adw_preferences_dialog_set_search_enabled (ADW_PREFERENCES_DIALOG (dialog), FALSE);
    adw_preferences_dialog_add (ADW_PREFERENCES_DIALOG (dialog), ADW_PREFERENCES_PAGE (page));
    adw_dialog_present (dialog, parent);
  }
  G_GNUC_END_IGNORE_DEPRECATIONS
#else
  {
    GtkRoot *root = gtk_widget_get_root (parent);
    GtkWindow *window;

    window = ga_preferences_window_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                        credentials, session, settings, cache);
    page = ga_preferences_window_get_page (window);
    if (instances != NULL)
      ga_preferences_page_set_instances (page, instances);
    gtk_window_present (window);
  }
#endif
}
