/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "ga-window"

#include "config.h"

#include <glib/gi18n.h>

#include "ga-window.h"

struct _GaWindow
{
  AdwApplicationWindow parent_instance;
};

G_DEFINE_FINAL_TYPE (GaWindow, ga_window, ADW_TYPE_APPLICATION_WINDOW)

static void
ga_window_class_init (GaWindowClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/ga-window.ui");
}

static void
ga_window_init (GaWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GaWindow *
ga_window_new (GaApplication *application)
{
  return g_object_new (GA_TYPE_WINDOW,
                       "application", application,
                       NULL);
}
