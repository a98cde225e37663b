/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

GObject *ga_alert_present (GtkWidget             *parent,
                           const char            *heading,
                           const char            *body,
                           const char            *cancel_label,
                           const char            *response_id,
                           const char            *response_label,
                           AdwResponseAppearance  appearance,
                           gboolean               default_is_response,
                           GCallback              response_cb,
                           gpointer               owner);

G_END_DECLS
