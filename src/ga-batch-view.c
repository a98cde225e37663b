/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "ga-batch-view"

#include "config.h"

#include "ga-batch-view.h"

#include "ga-alert.h"
#include "ga-file-chooser.h"
#include "ga-list-parser.h"

#include <glib/gi18n.h>
#include <string.h>

/*
 * The batch window: a grid of cards (picture or initials, name, number, badge), filters with
 * counts, the progress and Pause / Resume / Stop. It is a window of its own so that the main
 * window stays as it is; a card's activation is handed to the application ("chat-activated").
 * Labels, counts and the filter are refreshed a few times a second, not once per result, so
 * a fast batch costs the main loop little.
 */

#define UPDATE_INTERVAL_MS 200
#define AVATAR_SIZE        64
/* Left Out lists this many entries, and how many more there are. */
#define REJECTED_SHOWN     1000

struct _GaBatchView
{
  AdwWindow        parent_instance;

  AdwToastOverlay *toast_overlay;
  AdwWindowTitle  *window_title;
  GtkStack        *stack;
  GtkStack        *grid_stack;
  GtkGridView     *grid_view;
  GtkProgressBar  *progress_bar;
  GtkLabel        *status_label;
  GtkWidget       *filter_buttons[GA_BATCH_N_STATUSES]; /* [PENDING] is All */
  GtkWidget       *start_button;
  GtkWidget       *pause_button;
  GtkWidget       *stop_button;
  GtkTextView     *paste_view;
  GtkWidget       *look_up_button;
  GtkRevealer     *column_revealer;
  GtkDropDown     *column_dropdown;
  GtkWidget       *rejected_button;

  GaBatch         *batch;        /* (owned) */
  GaCredentials   *credentials;  /* (owned) (nullable) */
  SoupSession     *session;      /* (owned) (nullable) */
  GtkCustomFilter *filter;       /* (owned) */
  GtkFilterListModel *filtered;  /* (owned) */
  GCancellable    *cancellable;  /* (owned) */
  char            *filter_labels[GA_BATCH_N_STATUSES]; /* (owned) */
  char            *status_text;  /* (owned) */
  int              filter_status;
  guint            update_id;

  /* The list as read, kept to read it again with the column a person chooses. */
  GBytes          *source;       /* (owned) (nullable) */
  char            *source_name;  /* (owned) (nullable): the file's name, NULL when pasted */
  gboolean         pasting;      /* the paste page is shown */
  gboolean         filling_columns;
  char            *resume_text;  /* (owned) (nullable) */

  guint            max_columns;  /* the grid's limit, from the template */
  int              fitted_width; /* the grid's width the columns were last fitted to */
  guint            fit_columns_id;
};

G_DEFINE_FINAL_TYPE (GaBatchView, ga_batch_view, ADW_TYPE_WINDOW)

enum {
  SIGNAL_CHAT_ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Card avatars
 *
 * An AdwAvatar shows the initials or the placeholder; a decoded picture is drawn over it, round,
 * by its parent here, as AdwAvatar draws a custom image (scaled to cover the circle, centred).
 * A card bound to another chat changes its picture at every bind, and AdwAvatar would then
 * toggle a style class, the visibility of three children and its size request (a restyle and
 * a new measure of the card), several hundred times in the frame after a jump in the grid
 * (GTK 4.8's grid view keeps 30 rows of cards bound). Here a new picture only redraws. */

#define GA_TYPE_CARD_AVATAR (ga_card_avatar_get_type ())
G_DECLARE_FINAL_TYPE (GaCardAvatar, ga_card_avatar, GA, CARD_AVATAR, GtkWidget)

struct _GaCardAvatar
{
  GtkWidget    parent_instance;

  AdwAvatar   *avatar;   /* (unowned): the child */
  GdkTexture  *picture;  /* (owned) (nullable) */
  GaBatch     *batch;    /* (unowned) (nullable): the view's, while bound */
  GaBatchItem *item;     /* (owned) (nullable): the chat bound */
  gboolean     asked;    /* its picture was asked for since it was bound */
};

G_DEFINE_FINAL_TYPE (GaCardAvatar, ga_card_avatar, GTK_TYPE_WIDGET)

static void
ga_card_avatar_snapshot (GtkWidget   *widget,
                         GtkSnapshot *snapshot)
{
  GaCardAvatar *self = GA_CARD_AVATAR (widget);
  graphene_rect_t bounds;
  GskRoundedRect circle;
  float size, width, height, scale;

  if (self->picture == NULL)
    {
      /* Drawn, so shown: the grid draws only the cards in sight, and binds 30 rows of them.
       * The picture is decoded now, for this card, not for every card bound. Once a binding:
       * a picture dropped again while shown (more cards shown than decoded ones kept) is
       * not decoded over and over. */
      if (self->item != NULL && !self->asked && ga_batch_item_get_key (self->item) != NULL)
        {
          self->asked = TRUE;
          ga_batch_request_thumbnail (self->batch, self->item);
        }
      gtk_widget_snapshot_child (widget, GTK_WIDGET (self->avatar), snapshot);
      return;
    }

  size = AVATAR_SIZE;
  bounds = GRAPHENE_RECT_INIT ((gtk_widget_get_width (widget) - size) / 2.f,
                               (gtk_widget_get_height (widget) - size) / 2.f, size, size);
  width = gdk_texture_get_width (self->picture);
  height = gdk_texture_get_height (self->picture);
  scale = size / MAX (MIN (width, height), 1.f);
  width *= scale;
  height *= scale;

  gsk_rounded_rect_init_from_rect (&circle, &bounds, size / 2.f);
  gtk_snapshot_push_rounded_clip (snapshot, &circle);
  gtk_snapshot_append_texture (snapshot, self->picture,
                               &GRAPHENE_RECT_INIT (bounds.origin.x + (size - width) / 2.f,
                                                    bounds.origin.y + (size - height) / 2.f,
                                                    width, height));
  gtk_snapshot_pop (snapshot);
}

static void
ga_card_avatar_dispose (GObject *object)
{
  GaCardAvatar *self = GA_CARD_AVATAR (object);

  g_clear_pointer ((GtkWidget **) &self->avatar, gtk_widget_unparent);
  g_clear_object (&self->picture);
  g_clear_object (&self->item);

  G_OBJECT_CLASS (ga_card_avatar_parent_class)->dispose (object);
}

static void
ga_card_avatar_class_init (GaCardAvatarClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ga_card_avatar_dispose;
  widget_class->snapshot = ga_card_avatar_snapshot;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  /* Only a holder: the avatar inside is the image a screen reader meets, as before. */
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GENERIC);
}

static void
ga_card_avatar_init (GaCardAvatar *self)
{
  self->avatar = ADW_AVATAR (adw_avatar_new (AVATAR_SIZE, NULL, TRUE));
  gtk_widget_set_parent (GTK_WIDGET (self->avatar), GTK_WIDGET (self));
}

static void
ga_card_avatar_set_picture (GaCardAvatar *self,
                            GdkTexture   *picture)
{
  if (g_set_object (&self->picture, picture))
    gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* @item's picture is asked for when the card is next drawn (if it is shown). */
static void
ga_card_avatar_bind (GaCardAvatar *self,
                     GaBatch      *batch,
                     GaBatchItem  *item)
{
  self->batch = batch;
  g_set_object (&self->item, item);
  self->asked = FALSE;
  if (item != NULL && ga_batch_item_get_thumbnail (item) == NULL &&
      ga_batch_item_get_key (item) != NULL)
    gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* Cards */

typedef struct
{
  GaCardAvatar *avatar;
  GtkLabel  *name;
  GtkLabel  *number;
  GtkLabel  *badge;
  int        status;       /* the badge's, -1 before the first item */
  char      *description;  /* (owned) (nullable): what a screen reader hears */
} Card;

static void
card_free (Card *card)
{
  g_free (card->description);
  g_free (card);
}

static const char *
status_label (GaBatchStatus status)
{
  switch (status)
    {
    case GA_BATCH_STATUS_PICTURE:
      return C_("batch badge", "Picture");
    case GA_BATCH_STATUS_PRIVATE:
      return C_("batch badge", "Private");
    case GA_BATCH_STATUS_NOT_SET:
      return C_("batch badge", "Not Set");
    case GA_BATCH_STATUS_FAILED:
      return C_("batch badge", "Failed");
    case GA_BATCH_STATUS_PENDING:
    default:
      return C_("batch badge", "Waiting");
    }
}

static const char *
status_style (GaBatchStatus status)
{
  switch (status)
    {
    case GA_BATCH_STATUS_PICTURE:
      return "success";
    case GA_BATCH_STATUS_PRIVATE:
      return "warning";
    case GA_BATCH_STATUS_FAILED:
      return "error";
    case GA_BATCH_STATUS_NOT_SET:
    case GA_BATCH_STATUS_PENDING:
    default:
      return "neutral";
    }
}

/* "+79001234567" for a personal chat, the chat ID for anything else. */
static char *
display_number (const char *chat_id)
{
  if (g_str_has_suffix (chat_id, "@c.us"))
    return g_strdup_printf ("+%.*s", (int) (strlen (chat_id) - strlen ("@c.us")), chat_id);

  return g_strdup (chat_id);
}

/* Called for every bind and every change of a shown item (a few per result), so each part is
 * set only when it differs: a tooltip set again asks the X server where the pointer is (a round
 * trip), a badge's class removed and added again restyles it, an accessible label set again is
 * sent to the screen reader. */
static void
update_card (GtkWidget   *box,
             GaBatchItem *item)
{
  Card *card = g_object_get_data (G_OBJECT (box), "ga-card");
  GaBatchStatus status = ga_batch_item_get_status (item);
  const char *name = ga_batch_item_get_name (item);
  const char *error = ga_batch_item_get_error (item);
  gboolean has_name = name != NULL && *name != '\0';
  GdkTexture *thumbnail = ga_batch_item_get_thumbnail (item);
  const char *avatar_text = adw_avatar_get_text (card->avatar->avatar);
  g_autofree char *number = display_number (ga_batch_item_get_chat_id (item));
  g_autofree char *description = NULL;

  /* AdwAvatar holds "" for no text: comparing it with NULL set the text again at every bind,
   * and with it a new colour class (a restyle) from a GRand seeded from /dev/urandom. */
  if (g_strcmp0 (avatar_text != NULL ? avatar_text : "", has_name ? name : "") != 0)
    adw_avatar_set_text (card->avatar->avatar, has_name ? name : NULL);
  ga_card_avatar_set_picture (card->avatar, thumbnail);
  gtk_label_set_text (card->name, has_name ? name : number);
  gtk_label_set_text (card->number, number);
  gtk_widget_set_visible (GTK_WIDGET (card->number), has_name);

  if (card->status != (int) status)
    {
      const char *style = status_style (status);

      if (card->status < 0 || strcmp (status_style (card->status), style) != 0)
        {
          if (card->status >= 0)
            gtk_widget_remove_css_class (GTK_WIDGET (card->badge),
                                         status_style (card->status));
          gtk_widget_add_css_class (GTK_WIDGET (card->badge), style);
        }
      gtk_label_set_text (card->badge, status_label (status));
      card->status = (int) status;
    }

  /* An empty tooltip is none, as GTK treats it. */
  if (g_strcmp0 (gtk_widget_get_tooltip_text (box),
                 error != NULL && *error != '\0' ? error : NULL) != 0)
    gtk_widget_set_tooltip_text (box, error);

  /* A screen reader hears the whole card at once. */
  if (error != NULL)
    description = g_strdup_printf ("%s, %s, %s: %s", name != NULL ? name : "", number,
                                   status_label (status), error);
  else
    description = g_strdup_printf ("%s, %s, %s", name != NULL ? name : "", number,
                                   status_label (status));
  if (g_strcmp0 (card->description, description) != 0)
    {
      gtk_accessible_update_property (GTK_ACCESSIBLE (box),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, description,
                                      -1);
      g_free (card->description);
      card->description = g_steal_pointer (&description);
    }
}

static void
item_notify_cb (GaBatchItem *item,
                GParamSpec  *pspec,
                GtkWidget   *box)
{
  GaBatchView *self = g_object_get_data (G_OBJECT (box), "ga-view");

  update_card (box, item);

  /* A picture found while the card is bound is decoded once the card is drawn. */
  if (self != NULL && g_strcmp0 (pspec->name, "key") == 0)
    {
      Card *card = g_object_get_data (G_OBJECT (box), "ga-card");

      ga_card_avatar_bind (card->avatar, self->batch, item);
    }
}

static void
setup_cb (GtkSignalListItemFactory *factory,
          GtkListItem              *list_item,
          gpointer                  user_data)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 4);
  Card *card = g_new0 (Card, 1);

  card->status = -1;
  gtk_widget_add_css_class (box, "batch-card");
  gtk_accessible_update_property (GTK_ACCESSIBLE (box),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, "", -1);

  card->avatar = g_object_new (GA_TYPE_CARD_AVATAR, NULL);
  gtk_widget_set_halign (GTK_WIDGET (card->avatar), GTK_ALIGN_CENTER);
  card->name = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_ellipsize (card->name, PANGO_ELLIPSIZE_END);
  gtk_label_set_width_chars (card->name, 14);
  gtk_label_set_max_width_chars (card->name, 14);
  gtk_widget_add_css_class (GTK_WIDGET (card->name), "heading");
  card->number = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_ellipsize (card->number, PANGO_ELLIPSIZE_END);
  gtk_label_set_width_chars (card->number, 14);
  gtk_label_set_max_width_chars (card->number, 14);
  gtk_widget_add_css_class (GTK_WIDGET (card->number), "caption");
  gtk_widget_add_css_class (GTK_WIDGET (card->number), "dim-label");
  card->badge = GTK_LABEL (gtk_label_new (NULL));
  gtk_widget_set_halign (GTK_WIDGET (card->badge), GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (GTK_WIDGET (card->badge), "badge");
  gtk_widget_add_css_class (GTK_WIDGET (card->badge), "caption");

  gtk_box_append (GTK_BOX (box), GTK_WIDGET (card->avatar));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (card->name));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (card->number));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (card->badge));
  g_object_set_data_full (G_OBJECT (box), "ga-card", card, (GDestroyNotify) card_free);

  gtk_list_item_set_child (list_item, box);
}

/* GTK 4.8's grid view keeps its maximum number of columns times 30 rows of cards bound around
 * the place shown (gtkgridview.c), whatever number of columns fits: with the template's 12 and
 * the 6 columns of a window 820 pixels wide, 385 cards, all bound anew after a jump (a frame of
 * 25 to 30 ms here). So the maximum is kept at the number of columns that fit, as the grid
 * itself works it out (its width divided by a card's minimum width): the grid looks the same
 * and binds half as many cards. Never above the template's maximum. */
static gboolean
fit_columns_cb (gpointer user_data)
{
  GaBatchView *self = user_data;
  GtkWidget *grid = GTK_WIDGET (self->grid_view);
  GtkWidget *child = gtk_widget_get_first_child (grid);
  int width = gtk_widget_get_width (grid);
  int card = 0;
  guint columns;

  self->fit_columns_id = 0;

  /* The grid's children are its cards (each in a list item of its own). */
  while (child != NULL && !gtk_widget_get_visible (child))
    child = gtk_widget_get_next_sibling (child);
  if (child == NULL || width <= 0)
    return G_SOURCE_REMOVE;

  gtk_widget_measure (child, GTK_ORIENTATION_HORIZONTAL, -1, &card, NULL, NULL, NULL);
  if (card <= 0)
    return G_SOURCE_REMOVE;

  self->fitted_width = width;
  columns = CLAMP ((guint) (width / card), 1, self->max_columns);
  if (columns != gtk_grid_view_get_max_columns (self->grid_view))
    gtk_grid_view_set_max_columns (self->grid_view, columns);

  return G_SOURCE_REMOVE;
}

static void
fit_columns_later (GaBatchView *self)
{
  if (self->fit_columns_id == 0)
    self->fit_columns_id = g_idle_add_full (G_PRIORITY_HIGH_IDLE, fit_columns_cb, self, NULL);
}

static void
grid_width_cb (GaBatchView *self)
{
  if (self->fitted_width != gtk_widget_get_width (GTK_WIDGET (self->grid_view)))
    fit_columns_later (self);
}

static void
bind_cb (GtkSignalListItemFactory *factory,
         GtkListItem              *list_item,
         GaBatchView              *self)
{
  GaBatchItem *item = gtk_list_item_get_item (list_item);
  GtkWidget *box = gtk_list_item_get_child (list_item);
  Card *card = g_object_get_data (G_OBJECT (box), "ga-card");

  g_object_set_data (G_OBJECT (box), "ga-view", self);
  update_card (box, item);
  if (self->fitted_width != gtk_widget_get_width (GTK_WIDGET (self->grid_view)))
    fit_columns_later (self);
  g_signal_connect_object (item, "notify", G_CALLBACK (item_notify_cb), box, 0);

  /* Decoded at the card's size, in a worker thread, only for cards that are drawn (see
   * ga_card_avatar_snapshot()); one already decoded is kept the longest, as seen last. */
  ga_card_avatar_bind (card->avatar, self->batch, item);
  if (ga_batch_item_get_thumbnail (item) != NULL)
    ga_batch_request_thumbnail (self->batch, item);
}

static void
unbind_cb (GtkSignalListItemFactory *factory,
           GtkListItem              *list_item,
           GaBatchView              *self)
{
  GaBatchItem *item = gtk_list_item_get_item (list_item);
  GtkWidget *box = gtk_list_item_get_child (list_item);
  Card *card = g_object_get_data (G_OBJECT (box), "ga-card");

  g_signal_handlers_disconnect_by_func (item, item_notify_cb, box);
  ga_card_avatar_bind (card->avatar, NULL, NULL);
  /* Scrolled past before its picture was decoded: the cards now shown go first. */
  ga_batch_forget_thumbnail (self->batch, item);
}

/* Filters */

static gboolean
filter_func (gpointer object,
             gpointer user_data)
{
  GaBatchView *self = user_data;

  return self->filter_status < 0 ||
         (int) ga_batch_item_get_status (GA_BATCH_ITEM (object)) == self->filter_status;
}

static void
filter_toggled_cb (GaBatchView     *self,
                   GtkToggleButton *button)
{
  int status = -1;

  if (!gtk_toggle_button_get_active (button))
    return;

  for (guint i = 1; i < GA_BATCH_N_STATUSES; i++)
    if (self->filter_buttons[i] == GTK_WIDGET (button))
      status = (int) i;

  if (status == self->filter_status)
    return;

  self->filter_status = status;
  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
  ga_batch_view_update_now (self);
}

/* Labels */

static char *
format_time_left (gint64 seconds)
{
  if (seconds < 60)
    return g_strdup_printf (ngettext ("About %u second left", "About %u seconds left",
                                      (gulong) seconds), (guint) seconds);
  if (seconds < 3600)
    {
      guint minutes = (guint) ((seconds + 59) / 60);

      return g_strdup_printf (ngettext ("About %u minute left", "About %u minutes left",
                                        minutes), minutes);
    }

  {
    guint hours = (guint) ((seconds + 1799) / 3600);

    return g_strdup_printf (ngettext ("About %u hour left", "About %u hours left", hours),
                            hours);
  }
}

static void
update_actions (GaBatchView *self)
{
  GaBatchState state = ga_batch_get_state (self->batch);
  gboolean can_start = state == GA_BATCH_STATE_READY || state == GA_BATCH_STATE_PAUSED ||
                       state == GA_BATCH_STATE_STOPPED ||
                       (state == GA_BATCH_STATE_FINISHED &&
                        ga_batch_get_count (self->batch, GA_BATCH_STATUS_FAILED) > 0);
  gboolean running = state == GA_BATCH_STATE_RUNNING || state == GA_BATCH_STATE_OFFLINE;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "batch.start", can_start);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "batch.pause", running);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "batch.stop",
                                 running || state == GA_BATCH_STATE_PAUSED);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "batch.export",
                                 state != GA_BATCH_STATE_EMPTY &&
                                 ga_batch_get_n_done (self->batch) > 0);

  gtk_button_set_label (GTK_BUTTON (self->start_button),
                        state == GA_BATCH_STATE_READY && ga_batch_get_n_done (self->batch) == 0
                        ? _("_Start")
                        : state == GA_BATCH_STATE_FINISHED ? _("_Retry Failed")
                        : _("_Resume"));
}

/* "No chats here" only once filtering (incremental) has found none. */
static void
update_grid_stack (GaBatchView *self)
{
  gboolean none = g_list_model_get_n_items (G_LIST_MODEL (self->filtered)) == 0 &&
                  gtk_filter_list_model_get_pending (self->filtered) == 0;

  gtk_stack_set_visible_child_name (self->grid_stack, none ? "none" : "grid");
}

static char *
filter_label (GaBatchStatus  status,
              const char    *count)
{
  /* Translators: the filters of the batch grid; %s is a count, like 1,000 */
  switch (status)
    {
    case GA_BATCH_STATUS_PICTURE:
      return g_strdup_printf (_("Pictures (%s)"), count);
    case GA_BATCH_STATUS_PRIVATE:
      return g_strdup_printf (_("Private (%s)"), count);
    case GA_BATCH_STATUS_NOT_SET:
      return g_strdup_printf (_("Not Set (%s)"), count);
    case GA_BATCH_STATUS_FAILED:
      return g_strdup_printf (_("Failed (%s)"), count);
    case GA_BATCH_STATUS_PENDING:
    default:
      return g_strdup_printf (_("All (%s)"), count);
    }
}

/**
 * ga_batch_view_update_now:
 *
 * Brings the labels, counts, progress and filter up to date at once (they are otherwise
 * refreshed a few times a second).
 */
void
ga_batch_view_update_now (GaBatchView *self)
{
  GaBatch *batch = self->batch;
  GaBatchState state = ga_batch_get_state (batch);
  guint total = ga_batch_get_n_chats (batch);
  guint done = ga_batch_get_n_done (batch);
  g_autofree char *progress = NULL;
  g_autofree char *status = NULL;

  g_clear_handle_id (&self->update_id, g_source_remove);

  gtk_stack_set_visible_child_name (self->stack,
                                    self->pasting ? "paste"
                                    : state == GA_BATCH_STATE_EMPTY ? "empty" : "grid");
  gtk_widget_set_visible (self->rejected_button, ga_batch_get_n_rejected (batch) > 0);
  /* The column is chosen before the lookups start; once they run the choice is made. */
  if (state != GA_BATCH_STATE_READY && state != GA_BATCH_STATE_FINISHED)
    gtk_revealer_set_reveal_child (self->column_revealer, FALSE);

  for (guint i = 0; i < GA_BATCH_N_STATUSES; i++)
    {
      guint count = i == GA_BATCH_STATUS_PENDING ? total : ga_batch_get_count (batch, i);
      g_autofree char *number = g_strdup_printf ("%'u", count);

      g_free (self->filter_labels[i]);
      self->filter_labels[i] = filter_label (i, number);
      gtk_button_set_label (GTK_BUTTON (self->filter_buttons[i]), self->filter_labels[i]);
    }

  {
    g_autofree char *done_text = g_strdup_printf ("%'u", done);
    g_autofree char *total_text = g_strdup_printf ("%'u", total);

    /* Translators: the batch's progress, like "132 of 1,000" */
    progress = g_strdup_printf (_("%s of %s"), done_text, total_text);
  }
  gtk_progress_bar_set_text (self->progress_bar, progress);
  gtk_progress_bar_set_fraction (self->progress_bar, total > 0 ? (double) done / total : 0.0);

  switch (state)
    {
    case GA_BATCH_STATE_RUNNING:
      {
        gint64 left = ga_batch_get_seconds_left (batch);

        status = left >= 0 ? format_time_left (left) : g_strdup (_("Looking up…"));
      }
      break;
    case GA_BATCH_STATE_PAUSED:
      status = g_strdup (_("Paused"));
      break;
    case GA_BATCH_STATE_OFFLINE:
      status = g_strdup (_("Waiting for the network; the lookups go on when it is back."));
      break;
    case GA_BATCH_STATE_STOPPED:
      if (ga_batch_get_error (batch) != NULL)
        status = g_strdup_printf (_("Stopped: %s Every result so far is kept."),
                                  ga_batch_get_error (batch));
      else
        status = g_strdup (_("Stopped. Every result so far is kept."));
      break;
    case GA_BATCH_STATE_FINISHED:
      status = g_strdup (_("Done"));
      break;
    case GA_BATCH_STATE_READY:
      status = g_strdup (_("Ready to start"));
      break;
    case GA_BATCH_STATE_EMPTY:
    default:
      status = g_strdup ("");
      break;
    }

  if (ga_batch_get_n_rejected (batch) > 0)
    {
      g_autofree char *rejected = NULL;
      guint n = ga_batch_get_n_rejected (batch);

      rejected = g_strdup_printf (ngettext ("%u entry of the list is no phone number or chat "
                                            "ID and is left out.",
                                            "%u entries of the list are no phone numbers or "
                                            "chat IDs and are left out.", n), n);
      g_free (self->status_text);
      self->status_text = g_strconcat (status, *status != '\0' ? " · " : "", rejected, NULL);
    }
  else
    {
      g_free (self->status_text);
      self->status_text = g_steal_pointer (&status);
    }
  gtk_label_set_text (self->status_label, self->status_text);

  if (self->filter_status >= 0)
    gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
  update_grid_stack (self);

  update_actions (self);
}

static gboolean
update_timeout_cb (gpointer user_data)
{
  GaBatchView *self = user_data;

  self->update_id = 0;
  ga_batch_view_update_now (self);

  return G_SOURCE_REMOVE;
}

static void
batch_changed_cb (GaBatchView *self)
{
  if (self->update_id == 0)
    {
      self->update_id = g_timeout_add (UPDATE_INTERVAL_MS, update_timeout_cb, self);
      g_source_set_name_by_id (self->update_id, "[green-avatar] batch view update");
    }
}

static void
batch_state_cb (GaBatchView *self)
{
  /* A state change shows at once: the buttons must match it. */
  ga_batch_view_update_now (self);
}

/* Actions */

static void
grid_activate_cb (GaBatchView *self,
                  guint        position)
{
  g_autoptr(GaBatchItem) item = g_list_model_get_item (G_LIST_MODEL (self->filtered), position);

  if (item != NULL)
    g_signal_emit (self, signals[SIGNAL_CHAT_ACTIVATED], 0, ga_batch_item_get_chat_id (item));
}

static void
toast (GaBatchView *self,
       const char  *text)
{
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (text));
}

/**
 * ga_batch_view_start:
 *
 * Starts or resumes the batch with a client for the current settings.
 */
void
ga_batch_view_start (GaBatchView *self)
{
  g_return_if_fail (GA_IS_BATCH_VIEW (self));

  if (self->credentials != NULL && self->session != NULL)
    {
      g_autoptr(GaClient) client = ga_credentials_create_client (self->credentials,
                                                                 self->session);

      if (client == NULL)
        {
          toast (self, _("Enter the instance’s details in Preferences first."));
          return;
        }
      /* Batch lookups wait behind whatever a person types in the main window. */
      g_object_set (client, "priority", GA_REQUEST_PRIORITY_BATCH, NULL);
      ga_batch_set_client (self->batch, client);
    }

  ga_batch_start (self->batch);
}

static void
start_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  ga_batch_view_start (GA_BATCH_VIEW (widget));
}

static void
pause_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  ga_batch_pause (GA_BATCH_VIEW (widget)->batch);
}

static void
stop_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  ga_batch_stop (GA_BATCH_VIEW (widget)->batch);
}

/* A CSV whose phone column was a guess: the first rows under each column's name, to choose
 * from; the list waits for the choice (or Start) instead of starting. */
static void
offer_columns (GaBatchView *self,
               GaList      *list)
{
  const char * const *columns = ga_list_get_columns (list);
  g_autoptr(GtkStringList) strings = gtk_string_list_new (NULL);

  for (guint c = 0; columns != NULL && columns[c] != NULL; c++)
    {
      g_autoptr(GString) label = g_string_new (columns[c]);
      guint shown = 0;

      for (guint r = 0; r < ga_list_get_n_sample_rows (list); r++)
        {
          const char *sample = ga_list_get_sample (list, r, c);

          if (*sample == '\0')
            continue;
          /* Translators: between a column's name and its first cells, and between cells */
          g_string_append (label, shown++ == 0 ? C_("batch column", ": ") : C_("batch column", ", "));
          g_string_append (label, sample);
        }
      gtk_string_list_append (strings, label->str);
    }

  self->filling_columns = TRUE;
  gtk_drop_down_set_model (self->column_dropdown, G_LIST_MODEL (strings));
  gtk_drop_down_set_selected (self->column_dropdown, (guint) MAX (ga_list_get_phone_column (list), 0));
  self->filling_columns = FALSE;
  gtk_revealer_set_reveal_child (self->column_revealer, TRUE);
}

typedef struct
{
  GaBatchView *view;   /* (owned) */
  gboolean     chosen; /* a person chose the phone column */
} ParseData;

static void
parse_data_free (ParseData *data)
{
  g_object_unref (data->view);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ParseData, parse_data_free)

static void
parse_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(ParseData) data = user_data;
  GaBatchView *self = data->view;
  gboolean chosen = data->chosen;
  g_autoptr(GaList) list = NULL;
  g_autoptr(GError) error = NULL;
  const char * const *columns;

  list = ga_list_parse_finish (result, &error);
  if (list == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        toast (self, error->message);
      return;
    }

  if (ga_list_get_n_chats (list) == 0)
    {
      toast (self, self->source_name != NULL
                     ? _("The file holds no phone numbers or chat IDs.")
                     : _("The text holds no phone numbers or chat IDs."));
      return;
    }

  self->pasting = FALSE;
  ga_batch_set_list (self->batch, list);

  columns = ga_list_get_columns (list);
  if (chosen)
    {
      /* Read again with the chosen column: the person presses Start when it looks right. */
      ga_batch_view_update_now (self);
      return;
    }

  if (ga_list_get_format (list) == GA_LIST_FORMAT_CSV && !ga_list_get_phone_column_certain (list) &&
      columns != NULL && g_strv_length ((GStrv) columns) > 1)
    {
      offer_columns (self, list);
      ga_batch_view_update_now (self);
      return;
    }

  gtk_revealer_set_reveal_child (self->column_revealer, FALSE);
  ga_batch_view_start (self);
}

/* Parses @bytes in a worker thread, then shows the list and starts it. */
static void
parse_source (GaBatchView *self,
              GBytes      *bytes,
              const char  *name,
              int          phone_column)
{
  ParseData *data = g_new0 (ParseData, 1);

  if (bytes != self->source)
    {
      g_clear_pointer (&self->source, g_bytes_unref);
      self->source = g_bytes_ref (bytes);
      g_free (self->source_name);
      self->source_name = g_strdup (name);
    }

  /* In a worker thread: a 100,000-line table takes a while. */
  data->view = g_object_ref (self);
  data->chosen = phone_column >= 0;
  ga_list_parse_async (bytes, name, GA_LIST_FORMAT_AUTO, phone_column, self->cancellable,
                       parse_cb, data);
}

static void
column_chosen_cb (GaBatchView *self)
{
  guint column = gtk_drop_down_get_selected (self->column_dropdown);

  if (self->filling_columns || self->source == NULL || column == GTK_INVALID_LIST_POSITION)
    return;

  parse_source (self, self->source, self->source_name, (int) column);
}

/* Paste */

static void
show_paste (GaBatchView *self,
            const char  *text)
{
  if (text != NULL)
    gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->paste_view), text, -1);

  self->pasting = TRUE;
  ga_batch_view_update_now (self);
  gtk_widget_grab_focus (text != NULL ? self->look_up_button : GTK_WIDGET (self->paste_view));
}

static void
paste_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  show_paste (GA_BATCH_VIEW (widget), NULL);
}

static void
paste_cancel_action (GtkWidget  *widget,
                     const char *action_name,
                     GVariant   *parameter)
{
  GaBatchView *self = GA_BATCH_VIEW (widget);

  self->pasting = FALSE;
  ga_batch_view_update_now (self);
}

static void
look_up_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  GaBatchView *self = GA_BATCH_VIEW (widget);
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->paste_view);
  GtkTextIter start, end;
  g_autoptr(GBytes) bytes = NULL;
  char *text;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  if (*g_strstrip (text) == '\0')
    {
      g_free (text);
      toast (self, _("The text holds no phone numbers or chat IDs."));
      return;
    }

  /* Typed by a person: untrusted like a file, parsed and capped the same way. */
  bytes = g_bytes_new_take (text, strlen (text));
  parse_source (self, bytes, NULL, -1);
}

static void
clipboard_read_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GaBatchView) self = user_data;
  g_autofree char *text = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (object), result, NULL);

  if (text == NULL || g_cancellable_is_cancelled (self->cancellable))
    return;
  if (strlen (text) > GA_LIST_MAX_BYTES)
    {
      toast (self, _("The clipboard holds too much text for a list."));
      return;
    }

  show_paste (self, text);
}

/* Ctrl+V in a window with no list: the clipboard's text on the paste page, to look over and
 * look up. Anywhere else Ctrl+V is the focused widget's. */
static void
paste_clipboard_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  GaBatchView *self = GA_BATCH_VIEW (widget);

  if (self->pasting || ga_batch_get_state (self->batch) != GA_BATCH_STATE_EMPTY)
    return;

  gdk_clipboard_read_text_async (gtk_widget_get_clipboard (widget), self->cancellable,
                                 clipboard_read_cb, g_object_ref (self));
}

/* Left out */

static void
show_rejected_action (GtkWidget  *widget,
                      const char *action_name,
                      GVariant   *parameter)
{
  GaBatchView *self = GA_BATCH_VIEW (widget);
  g_autoptr(GPtrArray) rejected = ga_batch_get_rejected (self->batch, REJECTED_SHOWN);
  g_autoptr(GString) text = g_string_new (NULL);
  guint n = ga_batch_get_n_rejected (self->batch);
  GtkWidget *window, *header, *box, *scrolled, *view;

  for (guint i = 0; i < rejected->len; i++)
    {
      GaBatchRejected *entry = g_ptr_array_index (rejected, i);

      /* Translators: a line of the list that is left out: its number, what it says, why */
      g_string_append_printf (text, _("Line %u: “%s”: %s"), entry->line, entry->text,
                              entry->error);
      g_string_append_c (text, '\n');
    }
  if (n > rejected->len)
    g_string_append_printf (text, ngettext ("And %u more.", "And %u more.", n - rejected->len),
                            n - rejected->len);

  window = adw_window_new ();
  gtk_window_set_title (GTK_WINDOW (window), _("Left Out"));
  gtk_window_set_transient_for (GTK_WINDOW (window), GTK_WINDOW (self));
  gtk_window_set_modal (GTK_WINDOW (window), TRUE);
  gtk_window_set_default_size (GTK_WINDOW (window), 560, 420);
  box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  header = adw_header_bar_new ();
  gtk_box_append (GTK_BOX (box), header);
  view = gtk_text_view_new ();
  gtk_text_view_set_editable (GTK_TEXT_VIEW (view), FALSE);
  gtk_text_view_set_wrap_mode (GTK_TEXT_VIEW (view), GTK_WRAP_WORD_CHAR);
  gtk_text_view_set_left_margin (GTK_TEXT_VIEW (view), 12);
  gtk_text_view_set_right_margin (GTK_TEXT_VIEW (view), 12);
  gtk_text_view_set_top_margin (GTK_TEXT_VIEW (view), 12);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (view)), text->str, -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (view), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Left Out"), -1);
  scrolled = gtk_scrolled_window_new ();
  gtk_widget_set_vexpand (scrolled, TRUE);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), view);
  gtk_box_append (GTK_BOX (box), scrolled);
  adw_window_set_content (ADW_WINDOW (window), box);
  g_object_set_data_full (G_OBJECT (self), "ga-rejected-text",
                          g_string_free (g_steal_pointer (&text), FALSE), g_free);
  gtk_window_present (GTK_WINDOW (window));
}

static void
load_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GaBatchView) self = user_data;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;

  bytes = g_file_load_bytes_finish (G_FILE (object), result, NULL, &error);
  if (bytes == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        toast (self, _("The file could not be read."));
      return;
    }

  name = g_file_get_basename (G_FILE (object));
  parse_source (self, bytes, name, -1);
}

/**
 * ga_batch_view_open_file:
 * @file: a list of chats
 *
 * Reads and parses @file off the main thread, replaces the batch with it and starts it.
 */
void
ga_batch_view_open_file (GaBatchView *self,
                         GFile       *file)
{
  g_return_if_fail (GA_IS_BATCH_VIEW (self));
  g_return_if_fail (G_IS_FILE (file));

  g_file_load_bytes_async (file, self->cancellable, load_cb, g_object_ref (self));
}

static void
open_chosen_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GaBatchView) self = user_data;
  g_autoptr(GFile) file = ga_file_chooser_choose_finish (result, NULL);

  if (file != NULL && !g_cancellable_is_cancelled (self->cancellable))
    ga_batch_view_open_file (self, file);
}

static void
open_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  GaBatchView *self = GA_BATCH_VIEW (widget);

  ga_file_chooser_choose_async (GTK_WINDOW (self), GA_FILE_CHOOSER_OPEN, _("Open a List"),
                                self->cancellable, open_chosen_cb, g_object_ref (self));
}

static void export_to (GaBatchView *self, GFile *folder, gboolean overwrite);

static void
replace_response_cb (GaBatchView *self,
                     const char  *response,
                     gpointer     dialog)
{
  GFile *folder = g_object_get_data (G_OBJECT (dialog), "ga-folder");

  if (g_strcmp0 (response, "replace") == 0 && folder != NULL)
    export_to (self, folder, TRUE);
}

static void
ask_replace (GaBatchView *self,
             GFile       *folder)
{
  GObject *dialog;

  dialog = ga_alert_present (GTK_WIDGET (self), _("Replace Files?"),
                             _("The folder already has files of the same names with "
                               "other contents. Replacing them overwrites what they "
                               "hold."),
                             _("_Cancel"), "replace", _("_Replace"), ADW_RESPONSE_DESTRUCTIVE,
                             FALSE, G_CALLBACK (replace_response_cb), self);
  g_object_set_data_full (dialog, "ga-folder", g_object_ref (folder), g_object_unref);
}

typedef struct
{
  GaBatchView *view;   /* (owned) */
  GFile       *folder; /* (owned) */
} ExportData;

static void
export_data_free (ExportData *data)
{
  g_object_unref (data->view);
  g_object_unref (data->folder);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ExportData, export_data_free)

static void
export_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(ExportData) data = user_data;
  g_autoptr(GError) error = NULL;

  if (!ga_batch_export_finish (GA_BATCH (object), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_EXISTS))
        ask_replace (data->view, data->folder);
      else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        toast (data->view, error->message);
      return;
    }

  toast (data->view, _("Exported the pictures and avatars.csv"));
}

static void
export_to (GaBatchView *self,
           GFile       *folder,
           gboolean     overwrite)
{
  ExportData *data = g_new0 (ExportData, 1);

  /* The folder travels with the call so that the question can ask again for it. */
  data->view = g_object_ref (self);
  data->folder = g_object_ref (folder);
  ga_batch_export_async (self->batch, folder, overwrite, self->cancellable, export_cb, data);
}

/**
 * ga_batch_view_export_to:
 * @folder: where to write
 *
 * What Export does once a folder is chosen: writes the pictures and avatars.csv, and asks
 * before replacing a different file.
 */
void
ga_batch_view_export_to (GaBatchView *self,
                         GFile       *folder)
{
  g_return_if_fail (GA_IS_BATCH_VIEW (self));

  export_to (self, folder, FALSE);
}

static void
export_chosen_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GaBatchView) self = user_data;
  g_autoptr(GFile) folder = ga_file_chooser_choose_finish (result, NULL);

  if (folder != NULL && !g_cancellable_is_cancelled (self->cancellable))
    export_to (self, folder, FALSE);
}

static void
export_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  GaBatchView *self = GA_BATCH_VIEW (widget);

  ga_file_chooser_choose_async (GTK_WINDOW (self), GA_FILE_CHOOSER_SELECT_FOLDER,
                                _("Export to a Folder"), self->cancellable,
                                export_chosen_cb, g_object_ref (self));
}

/* The object */

static void
ga_batch_view_dispose (GObject *object)
{
  GaBatchView *self = GA_BATCH_VIEW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->update_id, g_source_remove);
  g_clear_handle_id (&self->fit_columns_id, g_source_remove);
  if (self->batch != NULL)
    g_signal_handlers_disconnect_by_data (self->batch, self);

  gtk_widget_dispose_template (GTK_WIDGET (self), GA_TYPE_BATCH_VIEW);

  G_OBJECT_CLASS (ga_batch_view_parent_class)->dispose (object);
}

static void
ga_batch_view_finalize (GObject *object)
{
  GaBatchView *self = GA_BATCH_VIEW (object);

  g_clear_object (&self->cancellable);
  g_clear_object (&self->batch);
  g_clear_object (&self->credentials);
  g_clear_object (&self->session);
  g_clear_object (&self->filter);
  g_clear_object (&self->filtered);
  g_clear_pointer (&self->source, g_bytes_unref);
  g_free (self->source_name);
  g_free (self->resume_text);
  for (guint i = 0; i < GA_BATCH_N_STATUSES; i++)
    g_free (self->filter_labels[i]);
  g_free (self->status_text);

  G_OBJECT_CLASS (ga_batch_view_parent_class)->finalize (object);
}

static void
ga_batch_view_class_init (GaBatchViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ga_batch_view_dispose;
  object_class->finalize = ga_batch_view_finalize;

  /**
   * GaBatchView::chat-activated:
   * @chat_id: the chat of the activated card
   */
  signals[SIGNAL_CHAT_ACTIVATED] =
    g_signal_new ("chat-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/greenavatar/GreenAvatar/ga-batch-view.ui");
  gtk_widget_class_bind_template_child (widget_class, GaBatchView, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, GaBatchView, window_title);
  gtk_widget_class_bind_template_child (widget_class, GaBatchView, stack);
  gtk_widget_class_bind_template_child (widget_class, GaBatchView, grid_stack);
  gtk_widget_class_bind_template_child (widget_class, GaBatchView, grid_view);
  gtk_widget_class_bind_template_child (widget_class, GaBatchView, progress_bar);
  gtk_widget_class_bind_template_child (widget_class, GaBatchView, status_label);
  gtk_widget_class_bind_template_child (widget_class, GaBatchView, start_button);
  gtk_widget_class_bind_template_child (widget_class, GaBatchView, pause_button);
  gtk_widget_class_bind_template_child (widget_class, GaBatchView, stop_button);
  gtk_widget_class_bind_template_child (widget_class, GaBatchView, paste_view);
  gtk_widget_class_bind_template_child (widget_class, GaBatchView, look_up_button);
  gtk_widget_class_bind_template_child (widget_class, GaBatchView, column_revealer);
  gtk_widget_class_bind_template_child (widget_class, GaBatchView, column_dropdown);
  gtk_widget_class_bind_template_child (widget_class, GaBatchView, rejected_button);
  gtk_widget_class_bind_template_child_full (widget_class, "filter_all", FALSE,
    G_STRUCT_OFFSET (GaBatchView, filter_buttons[GA_BATCH_STATUS_PENDING]));
  gtk_widget_class_bind_template_child_full (widget_class, "filter_picture", FALSE,
    G_STRUCT_OFFSET (GaBatchView, filter_buttons[GA_BATCH_STATUS_PICTURE]));
  gtk_widget_class_bind_template_child_full (widget_class, "filter_private", FALSE,
    G_STRUCT_OFFSET (GaBatchView, filter_buttons[GA_BATCH_STATUS_PRIVATE]));
  gtk_widget_class_bind_template_child_full (widget_class, "filter_not_set", FALSE,
    G_STRUCT_OFFSET (GaBatchView, filter_buttons[GA_BATCH_STATUS_NOT_SET]));
  gtk_widget_class_bind_template_child_full (widget_class, "filter_failed", FALSE,
    G_STRUCT_OFFSET (GaBatchView, filter_buttons[GA_BATCH_STATUS_FAILED]));
  gtk_widget_class_bind_template_callback (widget_class, filter_toggled_cb);
  gtk_widget_class_bind_template_callback (widget_class, grid_activate_cb);

  gtk_widget_class_install_action (widget_class, "batch.open", NULL, open_action);
  gtk_widget_class_install_action (widget_class, "batch.start", NULL, start_action);
  gtk_widget_class_install_action (widget_class, "batch.pause", NULL, pause_action);
  gtk_widget_class_install_action (widget_class, "batch.stop", NULL, stop_action);
  gtk_widget_class_install_action (widget_class, "batch.export", NULL, export_action);
  gtk_widget_class_install_action (widget_class, "batch.paste", NULL, paste_action);
  gtk_widget_class_install_action (widget_class, "batch.paste-cancel", NULL, paste_cancel_action);
  gtk_widget_class_install_action (widget_class, "batch.look-up", NULL, look_up_action);
  gtk_widget_class_install_action (widget_class, "batch.paste-clipboard", NULL,
                                   paste_clipboard_action);
  gtk_widget_class_install_action (widget_class, "batch.show-rejected", NULL,
                                   show_rejected_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_o, GDK_CONTROL_MASK,
                                       "batch.open", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_v, GDK_CONTROL_MASK,
                                       "batch.paste-clipboard", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, GDK_CONTROL_MASK,
                                       "batch.export", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_w, GDK_CONTROL_MASK,
                                       "window.close", NULL);
}

static void
ga_batch_view_init (GaBatchView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  gtk_drop_down_set_expression (self->column_dropdown,
                                gtk_property_expression_new (GTK_TYPE_STRING_OBJECT, NULL,
                                                             "string"));
  g_signal_connect_swapped (self->column_dropdown, "notify::selected",
                            G_CALLBACK (column_chosen_cb), self);

  self->cancellable = g_cancellable_new ();
  self->filter_status = -1;

  self->max_columns = gtk_grid_view_get_max_columns (self->grid_view);
  /* Its page size is the grid's width: told at every change of the window's width. */
  g_signal_connect_object (gtk_scrollable_get_hadjustment (GTK_SCROLLABLE (self->grid_view)),
                           "changed", G_CALLBACK (grid_width_cb), self, G_CONNECT_SWAPPED);
}

static void
scale_factor_cb (GaBatchView *self,
                 GParamSpec  *pspec,
                 gpointer     user_data)
{
  ga_batch_set_thumbnail_size (self->batch,
                               AVATAR_SIZE * gtk_widget_get_scale_factor (GTK_WIDGET (self)));
}

/**
 * ga_batch_view_new:
 * @application: (nullable): the application
 * @batch: the batch shown
 * @credentials: (nullable): for the client made when the batch starts
 * @session: (nullable): the application's one session
 */
GaBatchView *
ga_batch_view_new (GtkApplication *application,
                   GaBatch        *batch,
                   GaCredentials  *credentials,
                   SoupSession    *session)
{
  GaBatchView *self;
  g_autoptr(GtkListItemFactory) factory = NULL;
  GtkNoSelection *selection;

  g_return_val_if_fail (GA_IS_BATCH (batch), NULL);

  self = g_object_new (GA_TYPE_BATCH_VIEW, "application", application, NULL);
  self->batch = g_object_ref (batch);
  self->credentials = credentials != NULL ? g_object_ref (credentials) : NULL;
  self->session = session != NULL ? g_object_ref (session) : NULL;

  self->filter = gtk_custom_filter_new (filter_func, self, NULL);
  self->filtered = gtk_filter_list_model_new (g_object_ref (ga_batch_get_model (batch)),
                                              g_object_ref (GTK_FILTER (self->filter)));
  /* A 100,000-chat list is filtered a part at a time, between frames. */
  gtk_filter_list_model_set_incremental (self->filtered, TRUE);
  g_signal_connect_object (self->filtered, "notify::pending", G_CALLBACK (update_grid_stack),
                           self, G_CONNECT_SWAPPED);
  selection = gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->filtered)));

  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (setup_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_cb), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_cb), self);
  gtk_grid_view_set_factory (self->grid_view, factory);
  gtk_grid_view_set_model (self->grid_view, GTK_SELECTION_MODEL (selection));
  g_object_unref (selection);

  /* Pictures decoded at the size the cards show them, in device pixels. */
  g_signal_connect (self, "notify::scale-factor", G_CALLBACK (scale_factor_cb), NULL);
  scale_factor_cb (self, NULL, NULL);

  g_signal_connect_swapped (batch, "changed", G_CALLBACK (batch_changed_cb), self);
  g_signal_connect_swapped (batch, "notify::state", G_CALLBACK (batch_state_cb), self);
  ga_batch_view_update_now (self);

  return self;
}

GaBatch *
ga_batch_view_get_batch (GaBatchView *self)
{
  g_return_val_if_fail (GA_IS_BATCH_VIEW (self), NULL);
  return self->batch;
}

void
ga_batch_view_set_filter (GaBatchView *self,
                          int          status)
{
  g_return_if_fail (GA_IS_BATCH_VIEW (self));
  g_return_if_fail (status >= -1 && status < GA_BATCH_N_STATUSES);

  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (self->filter_buttons[MAX (status, 0)]),
                                TRUE);
}

const char *
ga_batch_view_get_filter_label (GaBatchView *self,
                                int          status)
{
  g_return_val_if_fail (GA_IS_BATCH_VIEW (self), NULL);
  return self->filter_labels[MAX (status, 0)];
}

const char *
ga_batch_view_get_progress_text (GaBatchView *self)
{
  g_return_val_if_fail (GA_IS_BATCH_VIEW (self), NULL);
  return gtk_progress_bar_get_text (self->progress_bar);
}

const char *
ga_batch_view_get_status_text (GaBatchView *self)
{
  g_return_val_if_fail (GA_IS_BATCH_VIEW (self), NULL);
  return self->status_text;
}

/* For tests: filtering runs a part at a time; spin until this is FALSE. */
gboolean
ga_batch_view_is_filtering (GaBatchView *self)
{
  g_return_val_if_fail (GA_IS_BATCH_VIEW (self), FALSE);
  return gtk_filter_list_model_get_pending (self->filtered) > 0;
}

guint
ga_batch_view_get_n_shown (GaBatchView *self)
{
  g_return_val_if_fail (GA_IS_BATCH_VIEW (self), 0);
  return g_list_model_get_n_items (G_LIST_MODEL (self->filtered));
}

GtkWidget *
ga_batch_view_get_grid (GaBatchView *self)
{
  g_return_val_if_fail (GA_IS_BATCH_VIEW (self), NULL);
  return GTK_WIDGET (self->grid_view);
}

/**
 * ga_batch_view_offer_resume:
 *
 * Says that the last batch (read from disk after the window opened) is back, with a button
 * to go on with it, when it has chats left to look up.
 */
void
ga_batch_view_offer_resume (GaBatchView *self)
{
  GaBatchState state;
  guint total, done;
  g_autofree char *done_text = NULL;
  g_autofree char *total_text = NULL;
  g_autofree char *title = NULL;
  AdwToast *toast;

  g_return_if_fail (GA_IS_BATCH_VIEW (self));

  ga_batch_view_update_now (self);
  state = ga_batch_get_state (self->batch);
  if (state != GA_BATCH_STATE_READY && state != GA_BATCH_STATE_STOPPED)
    return;

  total = ga_batch_get_n_chats (self->batch);
  done = ga_batch_get_n_done (self->batch);
  done_text = g_strdup_printf ("%'u", done);
  total_text = g_strdup_printf ("%'u", total);
  /* Translators: the last batch was read from disk; "132 of 1,000" done */
  title = g_strdup_printf (_("The last batch is back: %s of %s looked up."), done_text,
                           total_text);
  toast = adw_toast_new (title);
  adw_toast_set_button_label (toast, _("_Resume"));
  adw_toast_set_action_name (toast, "batch.start");
  adw_toast_set_timeout (toast, 0);
  g_free (self->resume_text);
  self->resume_text = g_strdup (title);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

/* For tests: the text of the last offer to resume, NULL before. */
const char *
ga_batch_view_get_resume_text (GaBatchView *self)
{
  g_return_val_if_fail (GA_IS_BATCH_VIEW (self), NULL);
  return self->resume_text;
}

/* For tests: the visible page ("empty", "paste" or "grid"). */
const char *
ga_batch_view_get_page (GaBatchView *self)
{
  g_return_val_if_fail (GA_IS_BATCH_VIEW (self), NULL);
  return gtk_stack_get_visible_child_name (self->stack);
}

/* For tests: the paste page's text. */
GtkTextBuffer *
ga_batch_view_get_paste_buffer (GaBatchView *self)
{
  g_return_val_if_fail (GA_IS_BATCH_VIEW (self), NULL);
  return gtk_text_view_get_buffer (self->paste_view);
}

/* For tests: the column choice, NULL unless it is offered. */
GtkDropDown *
ga_batch_view_get_column_choice (GaBatchView *self)
{
  g_return_val_if_fail (GA_IS_BATCH_VIEW (self), NULL);
  return gtk_revealer_get_reveal_child (self->column_revealer) ? self->column_dropdown : NULL;
}

/* For tests: the text Left Out showed last, NULL before. */
const char *
ga_batch_view_get_rejected_text (GaBatchView *self)
{
  g_return_val_if_fail (GA_IS_BATCH_VIEW (self), NULL);
  return g_object_get_data (G_OBJECT (self), "ga-rejected-text");
}
