/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <gtk/gtk.h>

#include "ga-instances.h"

G_BEGIN_DECLS

#define GA_TYPE_INSTANCE_SWITCHER (ga_instance_switcher_get_type ())

G_DECLARE_FINAL_TYPE (GaInstanceSwitcher, ga_instance_switcher, GA, INSTANCE_SWITCHER, GtkBox)

/*
 * The instances to switch between, for the header's account popover: one row per instance
 * (its label and ID, a check mark on the current one); choosing a row makes it the current
 * instance for the app, which remembers it (ga_instances_set_current()).
 */

GtkWidget *ga_instance_switcher_new (GaInstances        *instances);

/* The label of the current instance, or NULL: for the header button. */
const char *ga_instance_switcher_get_current_label (GaInstanceSwitcher *self);

G_END_DECLS
