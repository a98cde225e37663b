/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "ga-instance-switcher"

#include "config.h"

#include "ga-instance-switcher.h"

#include <glib/gi18n.h>

struct _GaInstanceSwitcher
{
  GtkBox       parent_instance;

  GaInstances *instances;  /* (owned) */
  GtkListBox  *list;
};

G_DEFINE_FINAL_TYPE (GaInstanceSwitcher, ga_instance_switcher, GTK_TYPE_BOX)

static GtkWidget *
create_row (gpointer item,
            gpointer user_data)
{
  GaInstanceSwitcher *self = user_data;
  GaInstance *instance = item;
  gboolean current = ga_instances_get_current (self->instances) == instance;
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *texts = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *title = gtk_label_new (ga_instance_get_label (instance));
  GtkWidget *subtitle = gtk_label_new (ga_instance_get_id_instance (instance));
  GtkWidget *check = gtk_image_new_from_icon_name ("object-select-symbolic");

  gtk_widget_set_name (row, ga_instance_get_id_instance (instance));
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_widget_set_margin_top (box, 8);
  gtk_widget_set_margin_bottom (box, 8);

  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_ellipsize (GTK_LABEL (title), PANGO_ELLIPSIZE_END);
  gtk_label_set_xalign (GTK_LABEL (subtitle), 0);
  gtk_widget_add_css_class (subtitle, "dim-label");
  gtk_widget_add_css_class (subtitle, "caption");
  gtk_widget_set_hexpand (texts, TRUE);
  gtk_box_append (GTK_BOX (texts), title);
  gtk_box_append (GTK_BOX (texts), subtitle);
  gtk_box_append (GTK_BOX (box), texts);

  gtk_widget_set_opacity (check, current ? 1.0 : 0.0);
  gtk_accessible_update_property (GTK_ACCESSIBLE (check),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Current instance"), -1);
  gtk_box_append (GTK_BOX (box), check);

  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  gtk_accessible_update_state (GTK_ACCESSIBLE (row),
                               GTK_ACCESSIBLE_STATE_SELECTED, current, -1);

  return row;
}

static void
rebind (GaInstanceSwitcher *self)
{
  gtk_list_box_bind_model (self->list, G_LIST_MODEL (self->instances), create_row, self, NULL);
}

static void
row_activated_cb (GaInstanceSwitcher *self,
                  GtkListBoxRow      *row)
{
  g_autoptr(GaInstance) instance = NULL;
  int index = gtk_list_box_row_get_index (row);

  instance = g_list_model_get_item (G_LIST_MODEL (self->instances), index);
  if (instance != NULL)
    ga_instances_set_current (self->instances, ga_instance_get_id_instance (instance));

  /* The choice is made: close the popover this list sits in. */
  {
    GtkWidget *popover = gtk_widget_get_ancestor (GTK_WIDGET (self), GTK_TYPE_POPOVER);

    if (popover != NULL)
      gtk_popover_popdown (GTK_POPOVER (popover));
  }
}

static void
ga_instance_switcher_dispose (GObject *object)
{
  GaInstanceSwitcher *self = GA_INSTANCE_SWITCHER (object);

  if (self->list != NULL)
    gtk_list_box_bind_model (self->list, NULL, NULL, NULL, NULL);
  if (self->instances != NULL)
    g_signal_handlers_disconnect_by_data (self->instances, self);

  G_OBJECT_CLASS (ga_instance_switcher_parent_class)->dispose (object);
}

static void
ga_instance_switcher_finalize (GObject *object)
{
  GaInstanceSwitcher *self = GA_INSTANCE_SWITCHER (object);

  g_clear_object (&self->instances);

  G_OBJECT_CLASS (ga_instance_switcher_parent_class)->finalize (object);
}

static void
ga_instance_switcher_class_init (GaInstanceSwitcherClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = ga_instance_switcher_dispose;
  object_class->finalize = ga_instance_switcher_finalize;
}

static void
ga_instance_switcher_init (GaInstanceSwitcher *self)
{
  GtkWidget *heading = gtk_label_new (_("Instances"));

  gtk_orientable_set_orientation (GTK_ORIENTABLE (self), GTK_ORIENTATION_VERTICAL);
  gtk_box_set_spacing (GTK_BOX (self), 6);

  gtk_label_set_xalign (GTK_LABEL (heading), 0);
  gtk_widget_add_css_class (heading, "dim-label");
  gtk_widget_add_css_class (heading, "caption");
  gtk_box_append (GTK_BOX (self), heading);

  self->list = GTK_LIST_BOX (gtk_list_box_new ());
  gtk_widget_set_name (GTK_WIDGET (self->list), "instance-switcher-list");
  gtk_list_box_set_selection_mode (self->list, GTK_SELECTION_NONE);
  gtk_widget_add_css_class (GTK_WIDGET (self->list), "boxed-list");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->list),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Instances"), -1);
  g_signal_connect_swapped (self->list, "row-activated", G_CALLBACK (row_activated_cb), self);
  gtk_box_append (GTK_BOX (self), GTK_WIDGET (self->list));
}

/**
 * ga_instance_switcher_new:
 *
 * Returns: (transfer floating): the switcher for @instances
 */
GtkWidget *
ga_instance_switcher_new (GaInstances *instances)
{
  GaInstanceSwitcher *self;

  g_return_val_if_fail (GA_IS_INSTANCES (instances), NULL);

  self = g_object_new (GA_TYPE_INSTANCE_SWITCHER, NULL);
  self->instances = g_object_ref (instances);
  g_signal_connect_swapped (instances, "notify::current", G_CALLBACK (rebind), self);
  rebind (self);

  return GTK_WIDGET (self);
}

const char *
ga_instance_switcher_get_current_label (GaInstanceSwitcher *self)
{
  GaInstance *current;

  g_return_val_if_fail (GA_IS_INSTANCE_SWITCHER (self), NULL);

  current = ga_instances_get_current (self->instances);

  return current != NULL ? ga_instance_get_label (current) : NULL;
}
