/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "ga-completion"

#include "config.h"

#include "ga-completion.h"

#include "ga-recent.h"
#include "ga-text.h"

#include <adwaita.h>
#include <glib/gi18n.h>

/*
 * Suggestions under the chat entry while a person types: chats of the recent lookups, then
 * contacts of getContacts whose name or number matches (ga_contact_list_complete(): case and
 * accents ignored). Each row shows the name, the number and the chat's picture when the
 * cache holds it. Focus stays in the entry: Down and Up move through the rows, Enter picks
 * the selected one (or looks up what is typed when none is), Escape closes the list.
 */

struct _GaCompletion
{
  GObject parent_instance;

  GtkEntry *entry;              /* (unowned) (nullable): cleared by ga_completion_detach() */
  GtkWidget *popover;           /* (unowned): a child of the entry */
  GtkListBox *list_box;         /* (unowned) */
  GaContactList *contacts;      /* (owned) (nullable): no list, no suggestions */
  GSettings *settings;          /* (owned) (nullable): the recent lookups */
  GaCache *cache;               /* (owned) (nullable): small pictures */
  GPtrArray *chat_ids;          /* (owned) (element-type utf8): of the rows, in order */
  GPtrArray *titles;            /* (owned) (element-type utf8): of the rows, in order */
  gboolean blocked;
};

G_DEFINE_FINAL_TYPE (GaCompletion, ga_completion, G_TYPE_OBJECT)

enum {
  SIGNAL_CHOSEN,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static GtkWidget *
make_row (GaCompletion *self,
          const char   *chat_id,
          const char   *untrusted_name)
{
  g_autofree char *name = ga_text_for_display (untrusted_name, GA_TEXT_MAX_NAME,
                                               GA_TEXT_ONE_LINE);
  g_autofree char *number = ga_text_format_chat_id (chat_id);
  g_autofree char *accessible = NULL;
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *labels = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *avatar = adw_avatar_new (32, name != NULL ? name : number, name != NULL);
  GtkWidget *title = gtk_label_new (name != NULL ? name : number);
  GtkWidget *subtitle = gtk_label_new (name != NULL ? number : chat_id);
  GdkTexture *texture = self->cache != NULL ? ga_cache_peek_chat (self->cache, chat_id) : NULL;

  if (texture != NULL)
    adw_avatar_set_custom_image (ADW_AVATAR (avatar), GDK_PAINTABLE (texture));

  gtk_widget_set_hexpand (labels, TRUE);
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_ellipsize (GTK_LABEL (title), PANGO_ELLIPSIZE_END);
  gtk_label_set_max_width_chars (GTK_LABEL (title), 40);
  gtk_label_set_xalign (GTK_LABEL (subtitle), 0);
  gtk_label_set_ellipsize (GTK_LABEL (subtitle), PANGO_ELLIPSIZE_MIDDLE);
  gtk_widget_add_css_class (subtitle, "dim-label");
  gtk_widget_add_css_class (subtitle, "caption");

  gtk_box_append (GTK_BOX (labels), title);
  gtk_box_append (GTK_BOX (labels), subtitle);
  gtk_box_append (GTK_BOX (box), avatar);
  gtk_box_append (GTK_BOX (box), labels);
  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_widget_set_margin_start (box, 6);
  gtk_widget_set_margin_end (box, 6);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);

  accessible = g_strdup_printf ("%s, %s", name != NULL ? name : number, number);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, accessible,
                                  -1);

  g_ptr_array_add (self->chat_ids, g_strdup (chat_id));
  g_ptr_array_add (self->titles, g_strdup (name != NULL ? name : number));

  return row;
}

static void
clear_rows (GaCompletion *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list_box))) != NULL)
    gtk_list_box_remove (self->list_box, child);

  g_ptr_array_set_size (self->chat_ids, 0);
  g_ptr_array_set_size (self->titles, 0);
}

static gboolean
has_chat (GaCompletion *self,
          const char   *chat_id)
{
  for (guint i = 0; i < self->chat_ids->len; i++)
    if (g_str_equal (g_ptr_array_index (self->chat_ids, i), chat_id))
      return TRUE;

  return FALSE;
}

/* A recent chat matches by its number's digits or by the name the contact list knows. */
static gboolean
recent_matches (GaCompletion *self,
                const char   *chat_id,
                const char   *query,
                const char   *digits)
{
  GaContact *contact = ga_contact_list_lookup (self->contacts, chat_id);

  if (digits[0] != '\0' && strstr (chat_id, digits) != NULL)
    return TRUE;

  if (contact != NULL && query[0] != '\0')
    {
      g_autofree char *name = NULL;

      name = ga_contact_list_normalize (ga_contact_get_display_name (contact) != NULL ?
                                        ga_contact_get_display_name (contact) : "", -1);
      return strstr (name, query) != NULL;
    }

  return FALSE;
}

static void
update (GaCompletion *self)
{
  const char *text;
  g_autofree char *query = NULL;
  g_autoptr(GString) digits = g_string_new (NULL);
  g_auto(GStrv) recent = NULL;
  g_autoptr(GPtrArray) matches = NULL;

  clear_rows (self);

  if (self->entry == NULL || self->contacts == NULL || self->blocked)
    {
      gtk_popover_popdown (GTK_POPOVER (self->popover));
      return;
    }

  text = gtk_editable_get_text (GTK_EDITABLE (self->entry));
  query = ga_contact_list_normalize (text, -1);
  for (const char *p = text; *p != '\0'; p++)
    if (g_ascii_isdigit (*p))
      g_string_append_c (digits, *p);

  if (query[0] == '\0')
    {
      gtk_popover_popdown (GTK_POPOVER (self->popover));
      return;
    }

  /* The recent lookups first: what was looked up before is the likeliest. */
  if (self->settings != NULL)
    recent = ga_recent_get (self->settings);
  for (guint i = 0; recent != NULL && recent[i] != NULL &&
                    self->chat_ids->len < GA_COMPLETION_MAX_ITEMS; i++)
    {
      GaContact *contact;

      if (g_str_equal (recent[i], text) || !recent_matches (self, recent[i], query, digits->str))
        continue;

      contact = ga_contact_list_lookup (self->contacts, recent[i]);
      gtk_list_box_append (self->list_box,
                           make_row (self, recent[i],
                                     contact != NULL ? ga_contact_get_display_name (contact)
                                                     : NULL));
    }

  matches = ga_contact_list_complete (self->contacts, text, GA_COMPLETION_MAX_ITEMS);
  for (guint i = 0; i < matches->len && self->chat_ids->len < GA_COMPLETION_MAX_ITEMS; i++)
    {
      GaContact *contact = g_ptr_array_index (matches, i);
      const char *chat_id = ga_contact_get_chat_id (contact);

      if (has_chat (self, chat_id) || g_str_equal (chat_id, text))
        continue;

      gtk_list_box_append (self->list_box,
                           make_row (self, chat_id, ga_contact_get_display_name (contact)));
    }

  if (self->chat_ids->len > 0)
    {
      /* As wide as the entry, so names have room. */
      gtk_widget_set_size_request (gtk_popover_get_child (GTK_POPOVER (self->popover)),
                                   MAX (gtk_widget_get_width (GTK_WIDGET (self->entry)), 240),
                                   -1);
      gtk_popover_popup (GTK_POPOVER (self->popover));
    }
  else
    gtk_popover_popdown (GTK_POPOVER (self->popover));
}

static void
choose (GaCompletion *self,
        guint         index)
{
  g_autofree char *chat_id = NULL;

  if (index >= self->chat_ids->len)
    return;

  chat_id = g_strdup (g_ptr_array_index (self->chat_ids, index));
  gtk_popover_popdown (GTK_POPOVER (self->popover));
  g_signal_emit (self, signals[SIGNAL_CHOSEN], 0, chat_id);
}

static void
row_activated_cb (GaCompletion  *self,
                  GtkListBoxRow *row,
                  GtkListBox    *list_box)
{
  choose (self, gtk_list_box_row_get_index (row));
}

static void
move_selection (GaCompletion *self,
                int           delta)
{
  GtkListBoxRow *row = gtk_list_box_get_selected_row (self->list_box);
  int n = self->chat_ids->len;
  int index;

  if (n == 0)
    return;

  if (row == NULL)
    index = delta > 0 ? 0 : n - 1;
  else
    index = CLAMP (gtk_list_box_row_get_index (row) + delta, 0, n - 1);

  row = gtk_list_box_get_row_at_index (self->list_box, index);
  gtk_list_box_select_row (self->list_box, row);
  gtk_widget_grab_focus (GTK_WIDGET (self->entry));
}

static gboolean
key_pressed_cb (GaCompletion          *self,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                GtkEventControllerKey *controller)
{
  gboolean shown = ga_completion_get_shown (self);
  GtkListBoxRow *row;

  if ((state & (GDK_CONTROL_MASK | GDK_ALT_MASK)) != 0)
    return FALSE;

  switch (keyval)
    {
    case GDK_KEY_Down:
    case GDK_KEY_KP_Down:
      if (!shown)
        {
          update (self);
          return ga_completion_get_shown (self);
        }
      move_selection (self, 1);
      return TRUE;

    case GDK_KEY_Up:
    case GDK_KEY_KP_Up:
      if (!shown)
        return FALSE;
      move_selection (self, -1);
      return TRUE;

    case GDK_KEY_Return:
    case GDK_KEY_KP_Enter:
    case GDK_KEY_ISO_Enter:
      row = gtk_list_box_get_selected_row (self->list_box);
      if (!shown || row == NULL)
        {
          ga_completion_hide (self);
          return FALSE;
        }
      choose (self, gtk_list_box_row_get_index (row));
      return TRUE;

    case GDK_KEY_Escape:
      if (!shown)
        return FALSE;
      ga_completion_hide (self);
      return TRUE;

    default:
      return FALSE;
    }
}

static void
entry_changed_cb (GaCompletion *self,
                  GtkEditable  *editable)
{
  update (self);
}

static void
ga_completion_finalize (GObject *object)
{
  GaCompletion *self = GA_COMPLETION (object);

  ga_completion_detach (self);
  g_clear_object (&self->contacts);
  g_clear_object (&self->settings);
  g_clear_object (&self->cache);
  g_clear_pointer (&self->chat_ids, g_ptr_array_unref);
  g_clear_pointer (&self->titles, g_ptr_array_unref);

  G_OBJECT_CLASS (ga_completion_parent_class)->finalize (object);
}

static void
ga_completion_class_init (GaCompletionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = ga_completion_finalize;

  /**
   * GaCompletion::chosen:
   * @chat_id: the chat of the row picked
   */
  signals[SIGNAL_CHOSEN] =
    g_signal_new ("chosen",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);
}

static void
ga_completion_init (GaCompletion *self)
{
  self->chat_ids = g_ptr_array_new_with_free_func (g_free);
  self->titles = g_ptr_array_new_with_free_func (g_free);
}

/**
 * ga_completion_new:
 * @entry: the chat entry
 *
 * Suggestions under @entry. Call ga_completion_detach() before @entry goes away.
 *
 * Returns: (transfer full): a new #GaCompletion
 */
GaCompletion *
ga_completion_new (GtkEntry *entry)
{
  GaCompletion *self = g_object_new (GA_TYPE_COMPLETION, NULL);
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  GtkEventController *controller = gtk_event_controller_key_new ();

  self->entry = entry;

  self->list_box = GTK_LIST_BOX (gtk_list_box_new ());
  gtk_list_box_set_selection_mode (self->list_box, GTK_SELECTION_SINGLE);
  gtk_list_box_set_activate_on_single_click (self->list_box, TRUE);
  gtk_widget_set_focusable (GTK_WIDGET (self->list_box), FALSE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->list_box),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Suggestions"),
                                  -1);
  g_signal_connect_object (self->list_box, "row-activated", G_CALLBACK (row_activated_cb),
                           self, G_CONNECT_SWAPPED);

  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled),
                                  GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scrolled), TRUE);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scrolled), 360);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), GTK_WIDGET (self->list_box));

  self->popover = gtk_popover_new ();
  gtk_popover_set_child (GTK_POPOVER (self->popover), scrolled);
  gtk_popover_set_autohide (GTK_POPOVER (self->popover), FALSE);
  gtk_popover_set_has_arrow (GTK_POPOVER (self->popover), FALSE);
  gtk_popover_set_position (GTK_POPOVER (self->popover), GTK_POS_BOTTOM);
  gtk_widget_set_halign (self->popover, GTK_ALIGN_START);
  gtk_widget_add_css_class (self->popover, "menu");
  gtk_widget_set_parent (self->popover, GTK_WIDGET (entry));

  gtk_accessible_update_property (GTK_ACCESSIBLE (entry),
                                  GTK_ACCESSIBLE_PROPERTY_AUTOCOMPLETE,
                                  GTK_ACCESSIBLE_AUTOCOMPLETE_LIST,
                                  -1);
  gtk_accessible_update_relation (GTK_ACCESSIBLE (entry),
                                  GTK_ACCESSIBLE_RELATION_CONTROLS, self->list_box, NULL,
                                  -1);

  gtk_event_controller_set_propagation_phase (controller, GTK_PHASE_CAPTURE);
  g_signal_connect_object (controller, "key-pressed", G_CALLBACK (key_pressed_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (entry), controller);
  g_signal_connect_object (entry, "changed", G_CALLBACK (entry_changed_cb), self,
                           G_CONNECT_SWAPPED);

  return self;
}

/* Takes the popover off the entry: before the entry is disposed. */
void
ga_completion_detach (GaCompletion *self)
{
  g_return_if_fail (GA_IS_COMPLETION (self));

  if (self->popover != NULL)
    gtk_widget_unparent (self->popover);
  self->popover = NULL;
  self->list_box = NULL;
  self->entry = NULL;
}

void
ga_completion_set_contact_list (GaCompletion  *self,
                                GaContactList *list)
{
  g_return_if_fail (GA_IS_COMPLETION (self));

  g_set_object (&self->contacts, list);
  if (list == NULL)
    ga_completion_hide (self);
}

void
ga_completion_set_settings (GaCompletion *self,
                            GSettings    *settings)
{
  g_return_if_fail (GA_IS_COMPLETION (self));

  g_set_object (&self->settings, settings);
}

void
ga_completion_set_cache (GaCompletion *self,
                         GaCache      *cache)
{
  g_return_if_fail (GA_IS_COMPLETION (self));

  g_set_object (&self->cache, cache);
}

/* While blocked, changes to the entry (the window writing into it) suggest nothing. */
void
ga_completion_set_blocked (GaCompletion *self,
                           gboolean      blocked)
{
  g_return_if_fail (GA_IS_COMPLETION (self));

  self->blocked = !!blocked;
}

void
ga_completion_hide (GaCompletion *self)
{
  g_return_if_fail (GA_IS_COMPLETION (self));

  if (self->popover != NULL)
    gtk_popover_popdown (GTK_POPOVER (self->popover));
}

gboolean
ga_completion_get_shown (GaCompletion *self)
{
  g_return_val_if_fail (GA_IS_COMPLETION (self), FALSE);

  return self->popover != NULL && gtk_widget_get_visible (self->popover);
}

guint
ga_completion_get_n_items (GaCompletion *self)
{
  g_return_val_if_fail (GA_IS_COMPLETION (self), 0);

  return self->chat_ids->len;
}

const char *
ga_completion_get_chat_id (GaCompletion *self,
                           guint         index)
{
  g_return_val_if_fail (GA_IS_COMPLETION (self), NULL);
  g_return_val_if_fail (index < self->chat_ids->len, NULL);

  return g_ptr_array_index (self->chat_ids, index);
}

/* The title of a row as shown: sanitized, never markup. */
const char *
ga_completion_get_title (GaCompletion *self,
                         guint         index)
{
  g_return_val_if_fail (GA_IS_COMPLETION (self), NULL);
  g_return_val_if_fail (index < self->titles->len, NULL);

  return g_ptr_array_index (self->titles, index);
}
