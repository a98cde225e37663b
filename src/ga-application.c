/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "ga-application"

#include "config.h"

#include <glib/gi18n.h>

#include "ga-application.h"
#include "ga-window.h"

struct _GaApplication
{
  AdwApplication parent_instance;
};

G_DEFINE_FINAL_TYPE (GaApplication, ga_application, ADW_TYPE_APPLICATION)

static void
ga_application_activate (GApplication *app)
{
  GtkWindow *window;

  window = gtk_application_get_active_window (GTK_APPLICATION (app));
  if (window == NULL)
    window = GTK_WINDOW (ga_window_new (GA_APPLICATION (app)));

  gtk_window_present (window);
}

static void
ga_application_class_init (GaApplicationClass *klass)
{
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  app_class->activate = ga_application_activate;
}

static void
ga_application_init (GaApplication *self)
{
}

GaApplication *
ga_application_new (void)
{
  return g_object_new (GA_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "resource-base-path", RESOURCE_PREFIX,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       NULL);
}
