/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "ga-instance-row"

#include "config.h"

#include "ga-instance-row.h"

#include "ga-alert.h"
#include "ga-client.h"
#include "ga-response.h"
#include "ga-secret.h"

#include <glib/gi18n.h>
#include <string.h>

struct _GaInstanceRow
{
  AdwExpanderRow  parent_instance;

  GaInstances    *instances;    /* (owned) */
  GaInstance     *instance;     /* (owned) */
  GaCredentials  *credentials;  /* (owned) (nullable): the current instance's session token */
  SoupSession    *session;      /* (owned) */
  GCancellable   *cancellable;  /* (owned): the connection test */

  GtkWidget      *use_button;
  GtkWidget      *current_icon;
  AdwEntryRow    *label_row;
  AdwEntryRow    *api_url_row;
  AdwActionRow   *test_row;
  GtkWidget      *test_button;
  GtkSpinner     *test_spinner;
};

G_DEFINE_FINAL_TYPE (GaInstanceRow, ga_instance_row, ADW_TYPE_EXPANDER_ROW)

static void
update (GaInstanceRow *self)
{
  gboolean current = ga_instances_get_current (self->instances) == self->instance;
  g_autofree char *subtitle = NULL;
  g_autofree char *escaped = NULL;

  escaped = g_markup_escape_text (ga_instance_get_label (self->instance), -1);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self), escaped);
  /* The ID only: a URL is one unbreakable word, too wide beside the buttons at 360 px. The URL
   * is the first thing the expanded row shows. */
  subtitle = g_strdup (ga_instance_get_id_instance (self->instance));
  adw_expander_row_set_subtitle (ADW_EXPANDER_ROW (self), subtitle);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self), ga_instance_get_api_url (self->instance));

  gtk_widget_set_visible (self->use_button, !current);
  gtk_widget_set_visible (self->current_icon, current);
}

static void
use_clicked_cb (GaInstanceRow *self)
{
  ga_instances_set_current (self->instances, ga_instance_get_id_instance (self->instance));
}

static void
label_apply_cb (GaInstanceRow *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->label_row));

  ga_instances_rename (self->instances, ga_instance_get_id_instance (self->instance), text);
}

static void
api_url_apply_cb (GaInstanceRow *self)
{
  const char *typed = gtk_editable_get_text (GTK_EDITABLE (self->api_url_row));
  g_autofree char *text = g_strstrip (g_strdup (typed));
  g_autoptr(GError) error = NULL;

  if (!ga_instances_set_api_url (self->instances, ga_instance_get_id_instance (self->instance),
                                 text, &error))
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->api_url_row), "error");
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->api_url_row), error->message);
      return;
    }

  gtk_widget_remove_css_class (GTK_WIDGET (self->api_url_row), "error");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->api_url_row), NULL);
}

/* Testing the connection */

static void
show_test (GaInstanceRow *self,
           gboolean       testing,
           const char    *result)
{
  gtk_widget_set_visible (GTK_WIDGET (self->test_spinner), testing);
  gtk_spinner_set_spinning (self->test_spinner, testing);
  gtk_widget_set_sensitive (self->test_button, !testing);
  if (result != NULL)
    adw_action_row_set_subtitle (self->test_row, result);
}

static void
get_state_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  GaInstanceRow *self;
  g_autoptr(GError) error = NULL;
  GaInstanceState state = GA_INSTANCE_STATE_UNKNOWN;

  if (!ga_client_get_state_finish (GA_CLIENT (object), result, &state, &error) &&
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  /* Not cancelled, so the row is still there (it cancels in dispose). */
  self = GA_INSTANCE_ROW (user_data);
  show_test (self, FALSE, error != NULL ? error->message : ga_response_describe_state (state));
}

static void
test_with_token (GaInstanceRow *self,
                 char          *token)
{
  g_autoptr(GaClient) client = NULL;

  if (token == NULL || *token == '\0')
    {
      show_test (self, FALSE, _("No token is stored for this instance"));
      return;
    }

  client = ga_client_new (self->session,
                          ga_instance_get_api_url (self->instance),
                          ga_instance_get_id_instance (self->instance),
                          token);
  if (client == NULL)
    {
      show_test (self, FALSE, _("Correct the values above to test the connection."));
      return;
    }

  ga_client_get_state_async (client, self->cancellable, get_state_cb, self);
}

static void
lookup_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  GaInstanceRow *self;
  g_autoptr(GError) error = NULL;
  char *token;

  token = ga_secret_lookup_finish (result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = GA_INSTANCE_ROW (user_data);
  if (g_cancellable_is_cancelled (self->cancellable))
    {
      g_clear_pointer (&token, secret_password_free);
      return;
    }

  /* The current instance may have a token for this session only (no keyring). */
  if (token == NULL && self->credentials != NULL &&
      g_strcmp0 (ga_credentials_get_id_instance (self->credentials),
                 ga_instance_get_id_instance (self->instance)) == 0)
    {
      g_autofree char *session_token = ga_credentials_dup_token (self->credentials);

      test_with_token (self, session_token);
      if (session_token != NULL)
        memset (session_token, 0, strlen (session_token));
      return;
    }

  test_with_token (self, token);
  g_clear_pointer (&token, secret_password_free);
}

static void
test_clicked_cb (GaInstanceRow *self)
{
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  show_test (self, TRUE, _("Testing…"));
  ga_secret_lookup_async (ga_instance_get_id_instance (self->instance), self->cancellable,
                          lookup_cb, self);
}

/* Removing */

static void
remove_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  /* The entry is gone already; a keyring that failed keeps a token nobody uses. */
  if (!ga_instances_remove_finish (GA_INSTANCES (object), result, &error))
    g_debug ("Could not remove everything of the instance: %s", error->message);
}

static void
remove_response_cb (GaInstanceRow *self,
                    const char    *response,
                    gpointer       dialog)
{
  if (!g_str_equal (response, "remove"))
    return;

  /* The row goes with the entry: the removal must not depend on it. */
  ga_instances_remove_async (self->instances, ga_instance_get_id_instance (self->instance),
                             NULL, remove_cb, NULL);
}

static void
remove_clicked_cb (GaInstanceRow *self)
{
  /* TRANSLATORS: %s is the label of an instance. */
  g_autofree char *heading = g_strdup_printf (_("Remove “%s”?"),
                                              ga_instance_get_label (self->instance));

  ga_alert_present (GTK_WIDGET (self), heading,
                    _("Its token is removed from the keyring, and its saved pictures and "
                      "contacts are deleted."),
                    _("_Cancel"), "remove", _("_Remove"), ADW_RESPONSE_DESTRUCTIVE, FALSE,
                    G_CALLBACK (remove_response_cb), self);
}

/* GObject */

static void
ga_instance_row_dispose (GObject *object)
{
  GaInstanceRow *self = GA_INSTANCE_ROW (object);

  g_cancellable_cancel (self->cancellable);
  if (self->instances != NULL)
    g_signal_handlers_disconnect_by_data (self->instances, self);
  if (self->instance != NULL)
    g_signal_handlers_disconnect_by_data (self->instance, self);

  G_OBJECT_CLASS (ga_instance_row_parent_class)->dispose (object);
}

static void
ga_instance_row_finalize (GObject *object)
{
  GaInstanceRow *self = GA_INSTANCE_ROW (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->instances);
  g_clear_object (&self->instance);
  g_clear_object (&self->credentials);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (ga_instance_row_parent_class)->finalize (object);
}

static void
ga_instance_row_class_init (GaInstanceRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ga_instance_row_dispose;
  object_class->finalize = ga_instance_row_finalize;
}

static GtkWidget *
suffix_button (const char *label,
               const char *name)
{
  GtkWidget *button = gtk_button_new_with_mnemonic (label);

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_set_name (button, name);

  return button;
}

static void
ga_instance_row_init (GaInstanceRow *self)
{
  GtkWidget *remove_row;
  GtkWidget *remove_button;

  self->cancellable = g_cancellable_new ();

  self->use_button = suffix_button (_("_Use"), "use-button");
  gtk_widget_set_tooltip_text (self->use_button, _("Look up through this instance"));
  g_signal_connect_swapped (self->use_button, "clicked", G_CALLBACK (use_clicked_cb), self);
  self->current_icon = gtk_image_new_from_icon_name ("object-select-symbolic");
  gtk_widget_set_name (self->current_icon, "current-icon");
  gtk_widget_set_tooltip_text (self->current_icon, _("Current instance"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->current_icon),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Current instance"), -1);
  adw_expander_row_add_action (ADW_EXPANDER_ROW (self), self->current_icon);
  adw_expander_row_add_action (ADW_EXPANDER_ROW (self), self->use_button);

  self->label_row = ADW_ENTRY_ROW (adw_entry_row_new ());
  gtk_widget_set_name (GTK_WIDGET (self->label_row), "label-row");
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->label_row), _("Label"));
  adw_entry_row_set_show_apply_button (self->label_row, TRUE);
  g_signal_connect_swapped (self->label_row, "apply", G_CALLBACK (label_apply_cb), self);
  adw_expander_row_add_row (ADW_EXPANDER_ROW (self), GTK_WIDGET (self->label_row));

  self->api_url_row = ADW_ENTRY_ROW (adw_entry_row_new ());
  gtk_widget_set_name (GTK_WIDGET (self->api_url_row), "instance-api-url-row");
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->api_url_row), _("API URL"));
  adw_entry_row_set_show_apply_button (self->api_url_row, TRUE);
  adw_entry_row_set_input_purpose (self->api_url_row, GTK_INPUT_PURPOSE_URL);
  g_signal_connect_swapped (self->api_url_row, "apply", G_CALLBACK (api_url_apply_cb), self);
  adw_expander_row_add_row (ADW_EXPANDER_ROW (self), GTK_WIDGET (self->api_url_row));

  self->test_row = ADW_ACTION_ROW (adw_action_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->test_row), _("Test Connection"));
  self->test_spinner = GTK_SPINNER (gtk_spinner_new ());
  gtk_widget_set_visible (GTK_WIDGET (self->test_spinner), FALSE);
  adw_action_row_add_suffix (self->test_row, GTK_WIDGET (self->test_spinner));
  self->test_button = suffix_button (_("_Test"), "instance-test-button");
  g_signal_connect_swapped (self->test_button, "clicked", G_CALLBACK (test_clicked_cb), self);
  adw_action_row_add_suffix (self->test_row, self->test_button);
  adw_expander_row_add_row (ADW_EXPANDER_ROW (self), GTK_WIDGET (self->test_row));

  remove_row = adw_action_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (remove_row), _("Remove Instance"));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (remove_row),
                               _("Also forgets its token, saved pictures and contacts"));
  remove_button = suffix_button (_("_Remove"), "remove-button");
  gtk_widget_add_css_class (remove_button, "destructive-action");
  g_signal_connect_swapped (remove_button, "clicked", G_CALLBACK (remove_clicked_cb), self);
  adw_action_row_add_suffix (ADW_ACTION_ROW (remove_row), remove_button);
  adw_expander_row_add_row (ADW_EXPANDER_ROW (self), remove_row);
}

/**
 * ga_instance_row_new:
 * @credentials: (nullable): the current instance, whose token may be kept for the session only
 *
 * Returns: (transfer floating): a new row for @instance
 */
GtkWidget *
ga_instance_row_new (GaInstances   *instances,
                     GaInstance    *instance,
                     GaCredentials *credentials,
                     SoupSession   *session)
{
  GaInstanceRow *self;

  g_return_val_if_fail (GA_IS_INSTANCES (instances), NULL);
  g_return_val_if_fail (GA_IS_INSTANCE (instance), NULL);
  g_return_val_if_fail (SOUP_IS_SESSION (session), NULL);

  self = g_object_new (GA_TYPE_INSTANCE_ROW, NULL);
  self->instances = g_object_ref (instances);
  self->instance = g_object_ref (instance);
  self->credentials = credentials != NULL ? g_object_ref (credentials) : NULL;
  self->session = g_object_ref (session);

  gtk_widget_set_name (GTK_WIDGET (self), ga_instance_get_id_instance (instance));
  gtk_editable_set_text (GTK_EDITABLE (self->label_row), ga_instance_get_label (instance));
  gtk_editable_set_text (GTK_EDITABLE (self->api_url_row), ga_instance_get_api_url (instance));

  g_signal_connect_swapped (instances, "notify::current", G_CALLBACK (update), self);
  g_signal_connect_swapped (instance, "notify", G_CALLBACK (update), self);
  update (self);

  return GTK_WIDGET (self);
}

GaInstance *
ga_instance_row_get_instance (GaInstanceRow *self)
{
  g_return_val_if_fail (GA_IS_INSTANCE_ROW (self), NULL);

  return self->instance;
}
