/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "ga-alert"

#include "config.h"

#include "ga-alert.h"

/**
 * ga_alert_present:
 * @parent: a widget in the window the alert is about
 * @heading: the heading, translated
 * @body: the body, translated
 * @cancel_label: the label of the "cancel" response (the close response), translated
 * @response_id: the id of the other response
 * @response_label: its label, translated
 * @appearance: its appearance
 * @default_is_response: whether @response_id is the default response (else "cancel")
 * @response_cb: called as `void cb (GObject *owner, const char *response, gpointer dialog)`
 * @owner: (type GObject): the object @response_cb is connected to, swapped
 *
 * Asks a question with two answers: an AdwAlertDialog with libadwaita >= 1.5, otherwise an
 * AdwMessageDialog (deprecated in 1.6, whose heading GTK 4.18 measures narrower than it needs
 * and warns about). Both have the `response` signal with the same arguments.
 *
 * Returns: (transfer none): the dialog, for g_object_set_data()
 */
GObject *
ga_alert_present (GtkWidget             *parent,
                  const char            *heading,
                  const char            *body,
                  const char            *cancel_label,
                  const char            *response_id,
                  const char            *response_label,
                  AdwResponseAppearance  appearance,
                  gboolean               default_is_response,
                  GCallback              response_cb,
                  gpointer               owner)
{
  const char *default_response = default_is_response ? response_id : "cancel";

  g_return_val_if_fail (GTK_IS_WIDGET (parent), NULL);
  g_return_val_if_fail (G_IS_OBJECT (owner), NULL);

#if ADW_CHECK_VERSION (1, 5, 0)
  /* Newer than the 1.2 floor that the build pins, hence the pragmas. */
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  {
    AdwDialog *dialog = adw_alert_dialog_new (heading, body);

    adw_alert_dialog_add_responses (ADW_ALERT_DIALOG (dialog),
                                    "cancel", cancel_label,
                                    response_id, response_label,
                                    NULL);
    adw_alert_dialog_set_response_appearance (ADW_ALERT_DIALOG (dialog), response_id,
                                              appearance);
    adw_alert_dialog_set_default_response (ADW_ALERT_DIALOG (dialog), default_response);
    adw_alert_dialog_set_close_response (ADW_ALERT_DIALOG (dialog), "cancel");
    g_signal_connect_object (dialog, "response", response_cb, owner, G_CONNECT_SWAPPED);
    adw_dialog_present (dialog, parent);
    return G_OBJECT (dialog);
  }
  G_GNUC_END_IGNORE_DEPRECATIONS
#else
  {
    GtkRoot *root = gtk_widget_get_root (parent);
    GtkWidget *dialog;

    dialog = adw_message_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                     heading, body);
    adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                      "cancel", cancel_label,
                                      response_id, response_label,
                                      NULL);
    adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), response_id,
                                                appearance);
    adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), default_response);
    adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
    g_signal_connect_object (dialog, "response", response_cb, owner, G_CONNECT_SWAPPED);
    gtk_window_present (GTK_WINDOW (dialog));
    return G_OBJECT (dialog);
  }
#endif
}
