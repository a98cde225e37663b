/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "ga-instances-group"

#include "config.h"

#include "ga-instances-group.h"

#include "ga-instance-row.h"
#include "ga-secret.h"
#include "ga-settings-check.h"

#include <glib/gi18n.h>
#include <string.h>

struct _GaInstancesGroup
{
  AdwPreferencesGroup  parent_instance;

  GaInstances         *instances;    /* (owned) (nullable) */
  GaCredentials       *credentials;  /* (owned) (nullable) */
  SoupSession         *session;      /* (owned) (nullable) */
  GPtrArray           *rows;         /* (owned) (element-type GaInstanceRow): not owned rows */

  AdwExpanderRow      *add_row;      /* (owned): taken out and put back last on every change */
  AdwEntryRow         *label_row;
  AdwEntryRow         *id_row;
  AdwEntryRow         *api_url_row;
  AdwEntryRow         *token_row;
  GtkLabel            *add_message;
  char                *offered_url;  /* (owned) (nullable): what the URL row was filled with */
};

G_DEFINE_FINAL_TYPE (GaInstancesGroup, ga_instances_group, ADW_TYPE_PREFERENCES_GROUP)

static void
rebuild (GaInstancesGroup *self)
{
  guint n;

  for (guint i = 0; i < self->rows->len; i++)
    adw_preferences_group_remove (ADW_PREFERENCES_GROUP (self), g_ptr_array_index (self->rows, i));
  g_ptr_array_set_size (self->rows, 0);

  /* The add row stays last. */
  adw_preferences_group_remove (ADW_PREFERENCES_GROUP (self), GTK_WIDGET (self->add_row));

  n = g_list_model_get_n_items (G_LIST_MODEL (self->instances));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GaInstance) instance = g_list_model_get_item (G_LIST_MODEL (self->instances), i);
      GtkWidget *row = ga_instance_row_new (self->instances, instance, self->credentials,
                                            self->session);

      adw_preferences_group_add (ADW_PREFERENCES_GROUP (self), row);
      g_ptr_array_add (self->rows, row);
    }

  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self), GTK_WIDGET (self->add_row));
}

static char *
row_text (AdwEntryRow *row)
{
  return g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));
}

/* Offers the URL GREEN-API's SDK derives from the ID, as long as the person has not typed
 * another one. */
static void
id_changed_cb (GaInstancesGroup *self)
{
  g_autofree char *id = row_text (self->id_row);
  g_autofree char *url = row_text (self->api_url_row);
  g_autofree char *offer = ga_instances_api_url_for_id (id);

  if (*url != '\0' && g_strcmp0 (url, self->offered_url) != 0)
    return;

  g_free (self->offered_url);
  self->offered_url = g_strdup (offer);
  gtk_editable_set_text (GTK_EDITABLE (self->api_url_row), offer != NULL ? offer : "");
}

static void
store_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  /* The keyring may be missing; Test Connection then says no token is stored. */
  if (!ga_secret_store_finish (result, &error))
    g_debug ("Could not store the token: %s", error->message);
}

static void
show_add_message (GaInstancesGroup *self,
                  const char       *text)
{
  gtk_label_set_text (self->add_message, text != NULL ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->add_message), text != NULL);
}

static void
add_clicked_cb (GaInstancesGroup *self)
{
  g_autofree char *label = row_text (self->label_row);
  g_autofree char *id = row_text (self->id_row);
  g_autofree char *url = row_text (self->api_url_row);
  g_autofree char *token = row_text (self->token_row);
  g_autoptr(GError) error = NULL;

  if (self->instances == NULL)
    return;

  if (*token == '\0')
    {
      show_add_message (self, _("Enter the API token of the instance"));
      return;
    }

  if (!ga_settings_check (url, id, token, &error) ||
      ga_instances_add (self->instances, label, url, id, &error) == NULL)
    {
      show_add_message (self, error->message);
      memset (token, 0, strlen (token));
      return;
    }

  ga_secret_store_async (id, token, NULL, store_cb, NULL);
  memset (token, 0, strlen (token));

  show_add_message (self, NULL);
  gtk_editable_set_text (GTK_EDITABLE (self->label_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->id_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->api_url_row), "");
  gtk_editable_set_text (GTK_EDITABLE (self->token_row), "");
  adw_expander_row_set_expanded (self->add_row, FALSE);
}

static void
ga_instances_group_dispose (GObject *object)
{
  GaInstancesGroup *self = GA_INSTANCES_GROUP (object);

  if (self->instances != NULL)
    g_signal_handlers_disconnect_by_data (self->instances, self);

  G_OBJECT_CLASS (ga_instances_group_parent_class)->dispose (object);
}

static void
ga_instances_group_finalize (GObject *object)
{
  GaInstancesGroup *self = GA_INSTANCES_GROUP (object);

  g_clear_object (&self->instances);
  g_clear_object (&self->credentials);
  g_clear_object (&self->session);
  g_ptr_array_unref (self->rows);
  g_clear_object (&self->add_row);
  g_free (self->offered_url);

  G_OBJECT_CLASS (ga_instances_group_parent_class)->finalize (object);
}

static void
ga_instances_group_class_init (GaInstancesGroupClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ga_instances_group_dispose;
  object_class->finalize = ga_instances_group_finalize;
}

static AdwEntryRow *
entry_row (const char *title,
           const char *name)
{
  AdwEntryRow *row = ADW_ENTRY_ROW (adw_entry_row_new ());

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  gtk_widget_set_name (GTK_WIDGET (row), name);

  return row;
}

static void
ga_instances_group_init (GaInstancesGroup *self)
{
  GtkWidget *button_row;
  GtkWidget *add_button;

  self->rows = g_ptr_array_new ();

  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (self), _("Instances"));
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (self),
                                         _("Every GREEN-API account the app can look up "
                                           "through. The current one is edited below."));
  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);

  self->add_row = g_object_ref_sink (ADW_EXPANDER_ROW (adw_expander_row_new ()));
  gtk_widget_set_name (GTK_WIDGET (self->add_row), "add-instance-row");
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->add_row), _("Add Instance"));
  adw_expander_row_set_subtitle (self->add_row, _("Another WhatsApp number"));

  self->label_row = entry_row (_("Label"), "add-label-row");
  self->id_row = entry_row (_("Instance ID"), "add-id-row");
  adw_entry_row_set_input_purpose (self->id_row, GTK_INPUT_PURPOSE_DIGITS);
  g_signal_connect_swapped (self->id_row, "changed", G_CALLBACK (id_changed_cb), self);
  self->api_url_row = entry_row (_("API URL"), "add-api-url-row");
  adw_entry_row_set_input_purpose (self->api_url_row, GTK_INPUT_PURPOSE_URL);
  self->token_row = ADW_ENTRY_ROW (adw_password_entry_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->token_row), _("API Token"));
  gtk_widget_set_name (GTK_WIDGET (self->token_row), "add-token-row");

  adw_expander_row_add_row (self->add_row, GTK_WIDGET (self->label_row));
  adw_expander_row_add_row (self->add_row, GTK_WIDGET (self->id_row));
  adw_expander_row_add_row (self->add_row, GTK_WIDGET (self->api_url_row));
  adw_expander_row_add_row (self->add_row, GTK_WIDGET (self->token_row));

  button_row = adw_action_row_new ();
  self->add_message = GTK_LABEL (gtk_label_new (NULL));
  gtk_widget_set_name (GTK_WIDGET (self->add_message), "add-message");
  gtk_label_set_wrap (self->add_message, TRUE);
  gtk_label_set_xalign (self->add_message, 0);
  gtk_widget_set_hexpand (GTK_WIDGET (self->add_message), TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self->add_message), "error");
  gtk_widget_set_visible (GTK_WIDGET (self->add_message), FALSE);
  gtk_widget_set_margin_start (GTK_WIDGET (self->add_message), 12);
  gtk_widget_set_margin_end (GTK_WIDGET (self->add_message), 12);
  gtk_widget_set_margin_top (GTK_WIDGET (self->add_message), 6);
  gtk_widget_set_margin_bottom (GTK_WIDGET (self->add_message), 6);
  /* A row of its own, not an action row's prefix, which squeezes it on libadwaita 1.7. */
  adw_expander_row_add_row (self->add_row, GTK_WIDGET (self->add_message));
  add_button = gtk_button_new_with_mnemonic (_("_Add"));
  gtk_widget_set_name (add_button, "add-button");
  gtk_widget_set_valign (add_button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (add_button, "suggested-action");
  g_signal_connect_swapped (add_button, "clicked", G_CALLBACK (add_clicked_cb), self);
  adw_action_row_add_suffix (ADW_ACTION_ROW (button_row), add_button);
  adw_expander_row_add_row (self->add_row, button_row);

  adw_preferences_group_add (ADW_PREFERENCES_GROUP (self), GTK_WIDGET (self->add_row));
}

/**
 * ga_instances_group_set_instances:
 * @credentials: (nullable): the current instance (its token may be kept for the session only)
 *
 * Shows @instances, kept up to date.
 */
void
ga_instances_group_set_instances (GaInstancesGroup *self,
                                  GaInstances      *instances,
                                  GaCredentials    *credentials,
                                  SoupSession      *session)
{
  g_return_if_fail (GA_IS_INSTANCES_GROUP (self));
  g_return_if_fail (GA_IS_INSTANCES (instances));
  g_return_if_fail (SOUP_IS_SESSION (session));
  g_return_if_fail (self->instances == NULL);

  self->instances = g_object_ref (instances);
  self->credentials = credentials != NULL ? g_object_ref (credentials) : NULL;
  self->session = g_object_ref (session);

  g_signal_connect_object (instances, "items-changed", G_CALLBACK (rebuild), self,
                           G_CONNECT_SWAPPED);
  rebuild (self);
  gtk_widget_set_visible (GTK_WIDGET (self), TRUE);
}
