/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "ga-contact-card"

#include "config.h"

#include "ga-contact-card.h"

#include "ga-alert.h"
#include "ga-error.h"
#include "ga-text.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

/*
 * The contact card under the picture: the chat's name (address book, else profile, else the
 * number written for people), its chat ID to select or copy, and what getContactInfo or
 * getGroupData told about it. The card never holds up the picture: the window starts both
 * requests together and the card fills in when its answer comes. A failed or rate-limited
 * card says so in one quiet line and asks once more later.
 *
 * Every string from the network goes through ga_text_for_display() and into labels whose
 * markup is off.
 */

/* How long a failed card waits before it asks once more. */
#define RETRY_SECONDS 30
/* The most cards kept in memory. */
#define MAX_CACHED_CARDS 200

struct _GaContactCard
{
  GtkBox parent_instance;

  /* Template children */
  GtkLabel *title_label;
  GtkLabel *chat_id_label;
  GtkWidget *business_badge;
  GtkWidget *admin_badge;
  GtkBox *details_grid;
  GtkLabel *status_label;
  GtkWidget *check_box;
  GtkWidget *check_button;
  GtkWidget *check_badge;
  GtkLabel *check_badge_label;
  GtkLabel *check_label;

  GaClient *client;             /* (owned) (nullable) */
  GSettings *settings;          /* (owned) (nullable): remembers the Check Account warning */
  GaContactList *contacts;      /* (owned) (nullable): names from getContacts */
  char *cards_dir;              /* (owned) (nullable): where cards are saved; NULL: memory only */
  char *own_chat_id;            /* (owned) (nullable): the linked account's chat ID */
  char *chat_id;                /* (owned) (nullable): the chat shown */
  char *title;                  /* (owned) (nullable): the title shown */
  GObject *answer;              /* (owned) (nullable): the card shown */
  GCancellable *cancellable;    /* (owned) (nullable): the card request in flight */
  GCancellable *check_cancellable; /* (owned) (nullable): the checkWhatsapp in flight */
  guint retry_id;
  guint retry_seconds;
  guint n_detail_rows;
  gboolean no_picture;
  gboolean quota_used_up;       /* checkWhatsapp said 466: asking again is pointless */
  GaContactCardState state;
  GaAccountCheck check;
};

G_DEFINE_FINAL_TYPE (GaContactCard, ga_contact_card, GTK_TYPE_BOX)

enum {
  SIGNAL_ACCOUNT_CHECKED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* What was learnt about chats, for the whole process: cards (GaContactInfo or GaGroupData)
 * with the time they came, and checkWhatsapp answers, kept a day. */
typedef struct
{
  GObject *answer;              /* (owned) */
  gint64 time;
} CachedCard;

typedef struct
{
  gboolean exists;
  gint64 time;
} CachedCheck;

static GHashTable *card_cache;  /* (element-type utf8 CachedCard) */
static GHashTable *check_cache; /* (element-type utf8 CachedCheck) */

static void
cached_card_free (CachedCard *cached)
{
  g_clear_object (&cached->answer);
  g_free (cached);
}

static GHashTable *
get_card_cache (void)
{
  if (card_cache == NULL)
    card_cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                        (GDestroyNotify) cached_card_free);
  return card_cache;
}

static GHashTable *
get_check_cache (void)
{
  if (check_cache == NULL)
    check_cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  return check_cache;
}

static void
remember_card (const char *chat_id,
               GObject    *answer)
{
  GHashTable *cache = get_card_cache ();
  CachedCard *cached;

  /* A crude cap: the cache is for the chats of one session, not for a batch of thousands. */
  if (g_hash_table_size (cache) >= MAX_CACHED_CARDS)
    g_hash_table_remove_all (cache);

  cached = g_new0 (CachedCard, 1);
  cached->answer = g_object_ref (answer);
  cached->time = g_get_real_time ();
  g_hash_table_replace (cache, g_strdup (chat_id), cached);
}

static gboolean
is_personal (const char *chat_id)
{
  return chat_id != NULL && g_str_has_suffix (chat_id, "@c.us");
}

static gboolean
is_group (const char *chat_id)
{
  return chat_id != NULL && g_str_has_suffix (chat_id, "@g.us");
}

static void
set_title (GaContactCard *self,
           const char    *untrusted)
{
  g_autofree char *title = ga_text_for_display (untrusted, GA_TEXT_MAX_NAME, GA_TEXT_ONE_LINE);

  if (title == NULL)
    title = ga_text_format_chat_id (self->chat_id);

  g_free (self->title);
  self->title = g_steal_pointer (&title);
  gtk_label_set_text (self->title_label, self->title);
}

static void
set_status (GaContactCard *self,
            const char    *text)
{
  gtk_label_set_text (self->status_label, text);
  gtk_widget_set_visible (GTK_WIDGET (self->status_label), text != NULL);
}

static void
clear_details (GaContactCard *self)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->details_grid))) != NULL)
    gtk_box_remove (self->details_grid, child);

  self->n_detail_rows = 0;
  gtk_widget_set_visible (GTK_WIDGET (self->details_grid), FALSE);
  gtk_widget_set_visible (self->business_badge, FALSE);
  gtk_widget_set_visible (self->admin_badge, FALSE);
}

static GtkWidget *
value_label (const char *text,
             int         lines)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 40);
  gtk_label_set_lines (GTK_LABEL (label), lines);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_widget_set_hexpand (label, TRUE);

  return label;
}

/* One "key: value" row of the details; @value is added as it is. */
static void
add_row_widget (GaContactCard *self,
                const char    *key,
                GtkWidget     *value)
{
  GtkWidget *key_label = gtk_label_new (key);
  GtkWidget *row = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);

  /* Rows of boxes, not a GtkGrid: a grid of wrapping labels measures its height
   * inconsistently for GTK 4.18's height-for-width checks. */
  gtk_label_set_xalign (GTK_LABEL (key_label), 1);
  gtk_label_set_width_chars (GTK_LABEL (key_label), 14);
  gtk_widget_set_valign (key_label, GTK_ALIGN_START);
  gtk_widget_add_css_class (key_label, "dim-label");
  gtk_accessible_update_relation (GTK_ACCESSIBLE (value),
                                  GTK_ACCESSIBLE_RELATION_LABELLED_BY, key_label, NULL,
                                  -1);

  gtk_box_append (GTK_BOX (row), key_label);
  gtk_box_append (GTK_BOX (row), value);
  gtk_box_append (self->details_grid, row);
  self->n_detail_rows++;
  gtk_widget_set_visible (GTK_WIDGET (self->details_grid), TRUE);
}

/* A row of untrusted text; nothing when the text is empty. */
static void
add_row (GaContactCard *self,
         const char    *key,
         const char    *untrusted,
         GaTextFlags    flags)
{
  gsize max = flags == GA_TEXT_ONE_LINE ? GA_TEXT_MAX_NAME : GA_TEXT_MAX_DESCRIPTION;
  g_autofree char *text = ga_text_for_display (untrusted, max, flags);

  if (text == NULL)
    return;

  add_row_widget (self, key, value_label (text, flags == GA_TEXT_ONE_LINE ? 2 : 8));
}

static char *
format_date (gint64 unix_time)
{
  g_autoptr(GDateTime) time = NULL;

  if (unix_time <= 0)
    return NULL;

  time = g_date_time_new_from_unix_local (unix_time);
  if (time == NULL)
    return NULL;

  /* Translators: a date, as in g_date_time_format(); %x is the locale's date */
  return g_date_time_format (time, _("%x"));
}

/* lastSeen is a string in the answers seen; a Unix time in digits is shown as a date. */
static char *
format_last_seen (const char *untrusted)
{
  gsize n;

  if (untrusted == NULL)
    return NULL;

  n = strspn (untrusted, "0123456789");
  if (n > 0 && n <= 12 && untrusted[n] == '\0')
    {
      gint64 value = g_ascii_strtoll (untrusted, NULL, 10);

      /* Milliseconds are as likely as seconds. */
      if (value > 100000000000)
        value /= 1000;
      return format_date (value);
    }

  return ga_text_for_display (untrusted, GA_TEXT_MAX_NAME, GA_TEXT_ONE_LINE);
}

/* A link only for what looks like an address: one @, no white space, no scheme of its own. */
static gboolean
is_plain_email (const char *email)
{
  const char *at;

  if (email == NULL || strlen (email) > 254 || !g_utf8_validate (email, -1, NULL))
    return FALSE;

  at = strchr (email, '@');
  if (at == NULL || at == email || at[1] == '\0' || strchr (at + 1, '@') != NULL)
    return FALSE;

  for (const char *p = email; *p != '\0'; p++)
    if (g_ascii_isspace (*p) || g_ascii_iscntrl (*p) || strchr ("<>\"':/?#", *p) != NULL)
      return FALSE;

  return TRUE;
}

static void
show_contact_info (GaContactCard *self,
                   GaContactInfo *info)
{
  const char *email = ga_contact_info_get_email (info);
  g_autofree char *last_seen = NULL;

  clear_details (self);
  set_title (self, ga_contact_info_get_display_name (info));

  if (ga_contact_info_get_is_business (info))
    {
      gtk_widget_set_visible (self->business_badge, TRUE);
      add_row (self, _("Category"), ga_contact_info_get_category (info), GA_TEXT_ONE_LINE);
      add_row (self, _("Description"), ga_contact_info_get_description (info),
               GA_TEXT_MULTI_LINE);

      if (is_plain_email (email))
        {
          g_autofree char *uri = g_strconcat ("mailto:", email, NULL);
          GtkWidget *link = gtk_link_button_new_with_label (uri, email);

          gtk_widget_set_halign (link, GTK_ALIGN_START);
          gtk_widget_add_css_class (link, "card-link");
          add_row_widget (self, _("E-mail"), link);
        }
      else
        {
          add_row (self, _("E-mail"), email, GA_TEXT_ONE_LINE);
        }
    }

  /* The profile name, when the title is the address book's name for the chat. */
  if (ga_contact_info_get_contact_name (info) != NULL && ga_contact_info_get_name (info) != NULL)
    add_row (self, _("Profile name"), ga_contact_info_get_name (info), GA_TEXT_ONE_LINE);

  last_seen = format_last_seen (ga_contact_info_get_last_seen (info));
  if (last_seen != NULL)
    add_row_widget (self, _("Last seen"), value_label (last_seen, 1));

  self->state = ga_contact_info_get_is_business (info) ? GA_CONTACT_CARD_STATE_BUSINESS
                                                        : GA_CONTACT_CARD_STATE_PERSON;
  set_status (self, NULL);
}

/* A participant or owner: the name the contact list knows, else the number. */
static char *
name_of (GaContactCard *self,
         const char    *chat_id)
{
  GaContact *contact = NULL;
  g_autofree char *name = NULL;
  g_autofree char *number = ga_text_format_chat_id (chat_id);

  if (self->contacts != NULL && chat_id != NULL)
    contact = ga_contact_list_lookup (self->contacts, chat_id);
  if (contact != NULL)
    name = ga_text_for_display (ga_contact_get_display_name (contact), GA_TEXT_MAX_NAME,
                                GA_TEXT_ONE_LINE);

  if (name != NULL)
    return g_strdup_printf ("%s (%s)", name, number);

  return ga_text_for_display (number, GA_TEXT_MAX_NAME, GA_TEXT_ONE_LINE);
}

static void
show_group_data (GaContactCard *self,
                 GaGroupData   *data)
{
  guint n = ga_group_data_get_n_participants (data);
  g_autofree char *participants = NULL;
  g_autofree char *owner = NULL;
  g_autofree char *created = NULL;
  gboolean member = FALSE;
  gboolean admin = FALSE;

  clear_details (self);
  set_title (self, ga_group_data_get_subject (data));

  participants = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u participant",
                                               "%u participants", n), n);
  add_row_widget (self, _("Participants"), value_label (participants, 1));

  if (ga_group_data_get_owner (data) != NULL)
    {
      owner = name_of (self, ga_group_data_get_owner (data));
      add_row_widget (self, _("Owner"), value_label (owner, 2));
    }

  created = format_date (ga_group_data_get_creation (data));
  if (created != NULL)
    add_row_widget (self, _("Created"), value_label (created, 1));

  for (guint i = 0; self->own_chat_id != NULL && i < n; i++)
    {
      gboolean is_admin = FALSE;
      gboolean is_super_admin = FALSE;
      const char *id = ga_group_data_get_participant (data, i, &is_admin, &is_super_admin);

      if (g_strcmp0 (id, self->own_chat_id) == 0)
        {
          member = TRUE;
          admin = is_admin || is_super_admin;
          break;
        }
    }

  /* An admin is told by the badge beside the title; a row says the rest. */
  if (self->own_chat_id != NULL && !admin)
    add_row_widget (self, _("Your account"),
                    value_label (member ? _("Member") : _("Not a member"), 1));
  gtk_widget_set_visible (self->admin_badge, admin);

  self->state = GA_CONTACT_CARD_STATE_GROUP;
  set_status (self, NULL);
}

static void
show_answer (GaContactCard *self,
             GObject       *answer)
{
  if (self->answer != answer)
    g_set_object (&self->answer, answer);

  if (GA_IS_CONTACT_INFO (answer))
    show_contact_info (self, GA_CONTACT_INFO (answer));
  else if (GA_IS_GROUP_DATA (answer))
    show_group_data (self, GA_GROUP_DATA (answer));
}

/* On disk: one small JSON file a chat in the picture cache's "cards" directory, in the API's
 * own shape so that loading goes through the same parsers as an answer; with the
 * checkWhatsapp answer and when each was learnt. No token, nothing but what the card shows. */

/* The most a saved card may weigh: the parsers' own limit. */
#define MAX_CARD_FILE GA_CLIENT_MAX_RESPONSE_SIZE

static char *
card_path (const char *dir,
           const char *chat_id)
{
  g_autofree char *name = NULL;

  if (dir == NULL || chat_id == NULL || strlen (chat_id) > 64 ||
      strspn (chat_id, "0123456789abcdefghijklmnopqrstuvwxyz@.-") != strlen (chat_id) ||
      chat_id[0] == '.')
    return NULL;

  name = g_strconcat (chat_id, ".json", NULL);
  return g_build_filename (dir, name, NULL);
}

static void
add_string (JsonBuilder *builder,
            const char  *name,
            const char  *value)
{
  if (value == NULL)
    return;
  json_builder_set_member_name (builder, name);
  json_builder_add_string_value (builder, value);
}

static void
build_answer (JsonBuilder *builder,
              GObject     *answer)
{
  json_builder_begin_object (builder);

  if (GA_IS_CONTACT_INFO (answer))
    {
      GaContactInfo *info = GA_CONTACT_INFO (answer);

      add_string (builder, "chatId", ga_contact_info_get_chat_id (info));
      add_string (builder, "name", ga_contact_info_get_name (info));
      add_string (builder, "contactName", ga_contact_info_get_contact_name (info));
      json_builder_set_member_name (builder, "isBusiness");
      json_builder_add_boolean_value (builder, ga_contact_info_get_is_business (info));
      add_string (builder, "category", ga_contact_info_get_category (info));
      add_string (builder, "description", ga_contact_info_get_description (info));
      add_string (builder, "email", ga_contact_info_get_email (info));
      add_string (builder, "lastSeen", ga_contact_info_get_last_seen (info));
    }
  else if (GA_IS_GROUP_DATA (answer))
    {
      GaGroupData *data = GA_GROUP_DATA (answer);

      add_string (builder, "groupId", ga_group_data_get_group_id (data));
      add_string (builder, "owner", ga_group_data_get_owner (data));
      add_string (builder, "subject", ga_group_data_get_subject (data));
      json_builder_set_member_name (builder, "creation");
      json_builder_add_int_value (builder, ga_group_data_get_creation (data));
      json_builder_set_member_name (builder, "participants");
      json_builder_begin_array (builder);
      for (guint i = 0; i < ga_group_data_get_n_participants (data); i++)
        {
          gboolean admin = FALSE;
          gboolean super_admin = FALSE;
          const char *id = ga_group_data_get_participant (data, i, &admin, &super_admin);

          json_builder_begin_object (builder);
          add_string (builder, "id", id);
          json_builder_set_member_name (builder, "isAdmin");
          json_builder_add_boolean_value (builder, admin);
          json_builder_set_member_name (builder, "isSuperAdmin");
          json_builder_add_boolean_value (builder, super_admin);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
    }

  json_builder_end_object (builder);
}

/* Writes what is known of @chat_id: the card from memory and the check answer. */
static void
save_card (const char *dir,
           const char *chat_id)
{
  g_autofree char *path = card_path (dir, chat_id);
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *json = NULL;
  CachedCard *card;
  CachedCheck *check;

  if (path == NULL)
    return;

  card = g_hash_table_lookup (get_card_cache (), chat_id);
  check = g_hash_table_lookup (get_check_cache (), chat_id);

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  if (card != NULL)
    {
      json_builder_set_member_name (builder, "time");
      json_builder_add_int_value (builder, card->time / G_USEC_PER_SEC);
      json_builder_set_member_name (builder, "answer");
      build_answer (builder, card->answer);
    }
  if (check != NULL)
    {
      json_builder_set_member_name (builder, "checkTime");
      json_builder_add_int_value (builder, check->time / G_USEC_PER_SEC);
      json_builder_set_member_name (builder, "existsWhatsapp");
      json_builder_add_boolean_value (builder, check->exists);
    }
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json = json_to_string (root, FALSE);
  if (g_mkdir_with_parents (dir, 0700) != 0 ||
      !g_file_set_contents_full (path, json, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600, NULL))
    g_debug ("A card could not be saved");
}

typedef struct
{
  char *path;                   /* (owned) */
  char *chat_id;                /* (owned) */
  GObject *answer;              /* (owned) (nullable): out */
  gint64 time;                  /* out, µs */
  gboolean has_check;           /* out */
  gboolean exists;              /* out */
  gint64 check_time;            /* out, µs */
} DiskCard;

static void
disk_card_free (DiskCard *disk)
{
  g_free (disk->path);
  g_free (disk->chat_id);
  g_clear_object (&disk->answer);
  g_free (disk);
}

static gint64
read_int (JsonObject *object,
          const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || json_node_get_value_type (node) != G_TYPE_INT64)
    return 0;
  return json_node_get_int (node);
}

/* In a worker: the file is untrusted like any other (capped, parsed defensively). */
static void
load_card_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  DiskCard *disk = task_data;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *contents = NULL;
  gsize length = 0;
  JsonNode *root;
  JsonObject *object;
  JsonNode *answer;
  GStatBuf st;

  if (g_stat (disk->path, &st) != 0 || st.st_size > MAX_CARD_FILE ||
      !g_file_get_contents (disk->path, &contents, &length, NULL) ||
      !json_parser_load_from_data (parser, contents, length, NULL) ||
      (root = json_parser_get_root (parser)) == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_task_return_boolean (task, FALSE);
      return;
    }

  object = json_node_get_object (root);
  answer = json_object_get_member (object, "answer");
  if (answer != NULL && JSON_NODE_HOLDS_OBJECT (answer))
    {
      g_autofree char *json = json_to_string (answer, FALSE);

      if (g_str_has_suffix (disk->chat_id, "@g.us"))
        disk->answer = G_OBJECT (ga_group_data_parse (json, strlen (json), disk->chat_id, NULL));
      else
        disk->answer = G_OBJECT (ga_contact_info_parse (json, strlen (json), disk->chat_id,
                                                        NULL));
      disk->time = read_int (object, "time") * G_USEC_PER_SEC;
    }

  if (json_object_has_member (object, "existsWhatsapp") &&
      json_node_get_value_type (json_object_get_member (object, "existsWhatsapp")) ==
      G_TYPE_BOOLEAN)
    {
      disk->has_check = TRUE;
      disk->exists = json_object_get_boolean_member (object, "existsWhatsapp");
      disk->check_time = read_int (object, "checkTime") * G_USEC_PER_SEC;
    }

  g_task_return_boolean (task, TRUE);
}

static void update_check (GaContactCard *self);

static void
load_card_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  GaContactCard *self = GA_CONTACT_CARD (object);
  GTask *task = G_TASK (result);
  DiskCard *disk = g_task_get_task_data (task);
  gint64 now = g_get_real_time ();

  if (!g_task_propagate_boolean (task, NULL) ||
      g_cancellable_is_cancelled (g_task_get_cancellable (task)))
    return;

  /* What was learnt meanwhile (in this run) wins over what was saved. */
  if (disk->answer != NULL && !g_hash_table_contains (get_card_cache (), disk->chat_id))
    {
      CachedCard *cached = g_new0 (CachedCard, 1);

      cached->answer = g_object_ref (disk->answer);
      cached->time = disk->time;
      g_hash_table_replace (get_card_cache (), g_strdup (disk->chat_id), cached);
    }
  if (disk->has_check && now - disk->check_time <= GA_CONTACT_CARD_CHECK_LIFETIME &&
      !g_hash_table_contains (get_check_cache (), disk->chat_id))
    {
      CachedCheck *cached = g_new0 (CachedCheck, 1);

      cached->exists = disk->exists;
      cached->time = disk->check_time;
      g_hash_table_replace (get_check_cache (), g_strdup (disk->chat_id), cached);
    }

  if (g_strcmp0 (self->chat_id, disk->chat_id) != 0)
    return;

  /* The card still waits for its answer: show the saved one meanwhile. */
  if (disk->answer != NULL && self->state == GA_CONTACT_CARD_STATE_LOADING)
    show_answer (self, disk->answer);
  if (self->check == GA_ACCOUNT_CHECK_NONE)
    {
      CachedCheck *check = g_hash_table_lookup (get_check_cache (), disk->chat_id);

      if (check != NULL)
        {
          self->check = check->exists ? GA_ACCOUNT_CHECK_NO_PICTURE : GA_ACCOUNT_CHECK_NO_ACCOUNT;
          update_check (self);
          g_signal_emit (self, signals[SIGNAL_ACCOUNT_CHECKED], 0);
        }
    }
}

static void
load_card_from_disk (GaContactCard *self)
{
  g_autoptr(GTask) task = NULL;
  DiskCard *disk;
  char *path = card_path (self->cards_dir, self->chat_id);

  if (path == NULL)
    return;

  disk = g_new0 (DiskCard, 1);
  disk->path = path;
  disk->chat_id = g_strdup (self->chat_id);

  task = g_task_new (self, self->cancellable, load_card_cb, NULL);
  g_task_set_source_tag (task, load_card_from_disk);
  g_task_set_task_data (task, disk, (GDestroyNotify) disk_card_free);
  g_task_run_in_thread (task, load_card_thread);
}

static void request_card (GaContactCard *self);

static gboolean
retry_cb (gpointer user_data)
{
  GaContactCard *self = user_data;

  self->retry_id = 0;
  if (self->chat_id != NULL && self->state == GA_CONTACT_CARD_STATE_FAILED)
    request_card (self);

  return G_SOURCE_REMOVE;
}

/* A request of the card's (its details, or Check Account), held until its callback. */
typedef struct
{
  GaContactCard *self;          /* (owned) */
  GCancellable *cancellable;    /* (owned) */
  char *chat_id;                /* (owned) */
  gboolean retried;             /* the details only: asked again once */
} CardRequest;

static void
card_request_free (CardRequest *request)
{
  g_clear_object (&request->self);
  g_clear_object (&request->cancellable);
  g_free (request->chat_id);
  g_free (request);
}

static void
card_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  CardRequest *request = user_data;
  GaContactCard *self = request->self;
  g_autoptr(GObject) answer = NULL;
  g_autoptr(GError) error = NULL;

  if (is_group (request->chat_id))
    answer = G_OBJECT (ga_client_get_group_data_finish (GA_CLIENT (object), result, &error));
  else
    answer = G_OBJECT (ga_client_get_contact_info_finish (GA_CLIENT (object), result, &error));

  if (g_cancellable_is_cancelled (request->cancellable) ||
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ||
      self->cancellable != request->cancellable)
    {
      card_request_free (request);
      return;
    }

  g_clear_object (&self->cancellable);

  if (answer != NULL)
    {
      remember_card (request->chat_id, answer);
      save_card (self->cards_dir, request->chat_id);
      show_answer (self, answer);
    }
  else if (self->state == GA_CONTACT_CARD_STATE_LOADING ||
           self->state == GA_CONTACT_CARD_STATE_FAILED)
    {
      /* Quietly: the picture is what the person came for. A card from before stays. */
      g_debug ("No card for the chat: %s", error->message);
      self->state = GA_CONTACT_CARD_STATE_FAILED;
      set_status (self, _("Contact details are not available right now."));
      if (!request->retried && self->retry_seconds > 0)
        self->retry_id = g_timeout_add_seconds (self->retry_seconds, retry_cb, self);
    }

  card_request_free (request);
}

static void
request_card (GaContactCard *self)
{
  CardRequest *request;

  if (self->client == NULL || self->chat_id == NULL)
    return;

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  request = g_new0 (CardRequest, 1);
  request->self = g_object_ref (self);
  request->cancellable = g_object_ref (self->cancellable);
  request->chat_id = g_strdup (self->chat_id);
  request->retried = self->state == GA_CONTACT_CARD_STATE_FAILED;

  if (is_group (self->chat_id))
    ga_client_get_group_data_async (self->client, self->chat_id, self->cancellable,
                                    card_cb, request);
  else
    ga_client_get_contact_info_async (self->client, self->chat_id, self->cancellable,
                                      card_cb, request);
}

/* Check Account */

static void
update_check (GaContactCard *self)
{
  gboolean offer = self->no_picture && is_personal (self->chat_id);
  const char *badge = NULL;

  gtk_widget_set_visible (self->check_box, offer);
  gtk_widget_set_visible (self->check_button,
                          offer && !self->quota_used_up &&
                          (self->check == GA_ACCOUNT_CHECK_NONE ||
                           self->check == GA_ACCOUNT_CHECK_FAILED));
  gtk_widget_set_sensitive (self->check_button, self->client != NULL);

  if (self->check == GA_ACCOUNT_CHECK_NO_PICTURE)
    badge = _("No Picture Set");
  else if (self->check == GA_ACCOUNT_CHECK_NO_ACCOUNT)
    badge = _("No WhatsApp Account");

  gtk_label_set_text (self->check_badge_label, badge);
  gtk_widget_set_visible (self->check_badge, offer && badge != NULL);
  if (self->check != GA_ACCOUNT_CHECK_FAILED)
    {
      gtk_label_set_text (self->check_label, NULL);
      gtk_widget_set_visible (GTK_WIDGET (self->check_label),
                              offer && self->check == GA_ACCOUNT_CHECK_RUNNING);
      if (self->check == GA_ACCOUNT_CHECK_RUNNING)
        gtk_label_set_text (self->check_label, _("Checking…"));
    }
}

static void
set_check (GaContactCard  *self,
           GaAccountCheck  check)
{
  self->check = check;
  update_check (self);
  g_signal_emit (self, signals[SIGNAL_ACCOUNT_CHECKED], 0);
}

/* The answer kept for @chat_id, if one is less than a day old. */
static GaAccountCheck
cached_check (const char *chat_id)
{
  CachedCheck *cached;

  if (chat_id == NULL)
    return GA_ACCOUNT_CHECK_NONE;

  cached = g_hash_table_lookup (get_check_cache (), chat_id);
  if (cached == NULL || g_get_real_time () - cached->time > GA_CONTACT_CARD_CHECK_LIFETIME)
    return GA_ACCOUNT_CHECK_NONE;

  return cached->exists ? GA_ACCOUNT_CHECK_NO_PICTURE : GA_ACCOUNT_CHECK_NO_ACCOUNT;
}

static void
check_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  CardRequest *request = user_data;
  GaContactCard *self = request->self;
  g_autoptr(GError) error = NULL;
  gboolean exists = FALSE;

  if (!ga_client_check_whatsapp_finish (GA_CLIENT (object), result, &exists, &error) &&
      g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      card_request_free (request);
      return;
    }

  if (error == NULL)
    {
      CachedCheck *cached = g_new0 (CachedCheck, 1);

      cached->exists = exists;
      cached->time = g_get_real_time ();
      g_hash_table_replace (get_check_cache (), g_strdup (request->chat_id), cached);
      save_card (self->cards_dir, request->chat_id);
    }

  if (self->check_cancellable != request->cancellable)
    {
      card_request_free (request);
      return;
    }
  g_clear_object (&self->check_cancellable);

  if (error != NULL)
    {
      g_autofree char *text = NULL;

      self->quota_used_up = g_error_matches (error, GA_ERROR, GA_ERROR_QUOTA_EXCEEDED);
      if (self->quota_used_up)
        text = g_strdup_printf (_("This month’s number checks are used up: %s"),
                                error->message);
      else
        text = g_strdup_printf (_("The account could not be checked: %s"), error->message);

      set_check (self, GA_ACCOUNT_CHECK_FAILED);
      gtk_label_set_text (self->check_label, text);
      gtk_widget_set_visible (GTK_WIDGET (self->check_label), TRUE);
    }
  else
    {
      set_check (self, exists ? GA_ACCOUNT_CHECK_NO_PICTURE : GA_ACCOUNT_CHECK_NO_ACCOUNT);
    }

  card_request_free (request);
}

static void
run_check (GaContactCard *self)
{
  CardRequest *request;

  if (self->client == NULL || !is_personal (self->chat_id))
    return;

  if (self->check_cancellable != NULL)
    g_cancellable_cancel (self->check_cancellable);
  g_clear_object (&self->check_cancellable);
  self->check_cancellable = g_cancellable_new ();

  request = g_new0 (CardRequest, 1);
  request->self = g_object_ref (self);
  request->cancellable = g_object_ref (self->check_cancellable);
  request->chat_id = g_strdup (self->chat_id);

  set_check (self, GA_ACCOUNT_CHECK_RUNNING);
  ga_client_check_whatsapp_async (self->client, self->chat_id, self->check_cancellable,
                                  check_cb, request);
}

static void
warning_response_cb (GaContactCard *self,
                     const char    *response,
                     gpointer       dialog)
{
  if (g_strcmp0 (response, "check") != 0)
    return;

  if (self->settings != NULL)
    g_settings_set_boolean (self->settings, "check-account-warned", TRUE);
  run_check (self);
}

static void
check_clicked_cb (GaContactCard *self,
                  GtkButton     *button)
{
  if (self->settings == NULL || g_settings_get_boolean (self->settings, "check-account-warned"))
    {
      run_check (self);
      return;
    }

  /* Asked once: each check costs one of a small monthly allowance. */
  ga_alert_present (GTK_WIDGET (self),
                    _("Check This Number?"),
                    _("Green Avatar asks GREEN-API whether the number has a "
                      "WhatsApp account. Each check counts against your "
                      "plan’s monthly number checks: the free Developer plan "
                      "allows 100 a month."),
                    _("_Cancel"), "check", _("C_heck"), ADW_RESPONSE_SUGGESTED, TRUE,
                    G_CALLBACK (warning_response_cb), self);
}

static void
copy_clicked_cb (GaContactCard *self,
                 GtkButton     *button)
{
  if (self->chat_id == NULL)
    return;

  gdk_clipboard_set_text (gtk_widget_get_clipboard (GTK_WIDGET (self)), self->chat_id);
}

/* GObject */

static void
ga_contact_card_dispose (GObject *object)
{
  GaContactCard *self = GA_CONTACT_CARD (object);

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->check_cancellable != NULL)
    g_cancellable_cancel (self->check_cancellable);
  g_clear_object (&self->check_cancellable);
  g_clear_handle_id (&self->retry_id, g_source_remove);

  gtk_widget_dispose_template (GTK_WIDGET (self), GA_TYPE_CONTACT_CARD);

  g_clear_object (&self->client);
  g_clear_object (&self->settings);
  g_clear_object (&self->contacts);
  g_clear_object (&self->answer);

  G_OBJECT_CLASS (ga_contact_card_parent_class)->dispose (object);
}

static void
ga_contact_card_finalize (GObject *object)
{
  GaContactCard *self = GA_CONTACT_CARD (object);

  g_free (self->own_chat_id);
  g_free (self->chat_id);
  g_free (self->title);
  g_free (self->cards_dir);

  G_OBJECT_CLASS (ga_contact_card_parent_class)->finalize (object);
}

static void
ga_contact_card_class_init (GaContactCardClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = ga_contact_card_dispose;
  object_class->finalize = ga_contact_card_finalize;

  /**
   * GaContactCard::account-checked:
   *
   * Check Account changed state: see ga_contact_card_get_account_check().
   */
  signals[SIGNAL_ACCOUNT_CHECKED] =
    g_signal_new ("account-checked",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/ga-contact-card.ui");
  gtk_widget_class_bind_template_child (widget_class, GaContactCard, title_label);
  gtk_widget_class_bind_template_child (widget_class, GaContactCard, chat_id_label);
  gtk_widget_class_bind_template_child (widget_class, GaContactCard, business_badge);
  gtk_widget_class_bind_template_child (widget_class, GaContactCard, admin_badge);
  gtk_widget_class_bind_template_child (widget_class, GaContactCard, details_grid);
  gtk_widget_class_bind_template_child (widget_class, GaContactCard, status_label);
  gtk_widget_class_bind_template_child (widget_class, GaContactCard, check_box);
  gtk_widget_class_bind_template_child (widget_class, GaContactCard, check_button);
  gtk_widget_class_bind_template_child (widget_class, GaContactCard, check_badge);
  gtk_widget_class_bind_template_child (widget_class, GaContactCard, check_badge_label);
  gtk_widget_class_bind_template_child (widget_class, GaContactCard, check_label);
  gtk_widget_class_bind_template_callback (widget_class, copy_clicked_cb);
  gtk_widget_class_bind_template_callback (widget_class, check_clicked_cb);
}

static void
ga_contact_card_init (GaContactCard *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->retry_seconds = RETRY_SECONDS;
}

/**
 * ga_contact_card_new:
 *
 * Returns: (transfer floating): a new, empty card
 */
GtkWidget *
ga_contact_card_new (void)
{
  return g_object_new (GA_TYPE_CONTACT_CARD, NULL);
}

/**
 * ga_contact_card_set_client:
 * @self: a #GaContactCard
 * @client: (nullable): the client that asks for cards and checks accounts
 */
void
ga_contact_card_set_client (GaContactCard *self,
                            GaClient      *client)
{
  g_return_if_fail (GA_IS_CONTACT_CARD (self));

  g_set_object (&self->client, client);
  update_check (self);
}

/**
 * ga_contact_card_set_settings:
 * @self: a #GaContactCard
 * @settings: (nullable): where the Check Account warning is remembered
 */
void
ga_contact_card_set_settings (GaContactCard *self,
                              GSettings     *settings)
{
  g_return_if_fail (GA_IS_CONTACT_CARD (self));

  g_set_object (&self->settings, settings);
}

/* Names came: the card shown names its owner, and a chat still waiting for its card its
 * title. */
static void
contacts_changed_cb (GaContactCard *self)
{
  if (self->answer != NULL)
    {
      show_answer (self, self->answer);
    }
  else if (self->chat_id != NULL && self->contacts != NULL)
    {
      GaContact *contact = ga_contact_list_lookup (self->contacts, self->chat_id);

      if (contact != NULL)
        set_title (self, ga_contact_get_display_name (contact));
    }
}

/**
 * ga_contact_card_set_contact_list:
 * @self: a #GaContactCard
 * @list: (nullable): names from getContacts, shown before the card answers
 */
void
ga_contact_card_set_contact_list (GaContactCard *self,
                                  GaContactList *list)
{
  g_return_if_fail (GA_IS_CONTACT_CARD (self));

  if (self->contacts != NULL)
    g_signal_handlers_disconnect_by_data (self->contacts, self);
  if (!g_set_object (&self->contacts, list) || list == NULL)
    return;

  g_signal_connect_object (list, "changed", G_CALLBACK (contacts_changed_cb), self,
                           G_CONNECT_SWAPPED);
}

/**
 * ga_contact_card_set_own_chat_id:
 * @self: a #GaContactCard
 * @chat_id: (nullable): the linked account's chat ID, which tells a group card whether the
 *   account is an admin
 */
void
ga_contact_card_set_own_chat_id (GaContactCard *self,
                                 const char    *chat_id)
{
  g_return_if_fail (GA_IS_CONTACT_CARD (self));

  if (g_strcmp0 (self->own_chat_id, chat_id) == 0)
    return;

  g_free (self->own_chat_id);
  self->own_chat_id = g_strdup (chat_id);

  /* A group card shown already learns whether the account is an admin. */
  if (self->answer != NULL)
    show_answer (self, self->answer);
}

/**
 * ga_contact_card_set_cache_directory:
 * @self: a #GaContactCard
 * @directory: (nullable): the picture cache's directory; cards are kept in its "cards"
 *   folder, cleared with it. %NULL keeps them in memory only (the demo).
 */
void
ga_contact_card_set_cache_directory (GaContactCard *self,
                                     const char    *directory)
{
  g_return_if_fail (GA_IS_CONTACT_CARD (self));

  g_free (self->cards_dir);
  self->cards_dir = directory != NULL ? g_build_filename (directory, "cards", NULL) : NULL;
}

/* For tests: how long a failed card waits before it asks again (0: never). */
void
ga_contact_card_set_retry_seconds (GaContactCard *self,
                                   guint          seconds)
{
  g_return_if_fail (GA_IS_CONTACT_CARD (self));

  self->retry_seconds = seconds;
}

/**
 * ga_contact_card_load:
 * @self: a #GaContactCard
 * @chat_id: a canonical chat ID
 *
 * Shows @chat_id at once (a name the contact list knows, a card seen before, else the
 * number) and asks for its card, cancelling the card of the chat before.
 */
void
ga_contact_card_load (GaContactCard *self,
                      const char    *chat_id)
{
  CachedCard *cached;
  const char *known_name = NULL;
  GaContact *contact = NULL;

  g_return_if_fail (GA_IS_CONTACT_CARD (self));
  g_return_if_fail (chat_id != NULL);

  ga_contact_card_clear (self);

  self->chat_id = g_strdup (chat_id);
  gtk_label_set_text (self->chat_id_label, chat_id);
  self->check = cached_check (chat_id);

  if (self->contacts != NULL)
    contact = ga_contact_list_lookup (self->contacts, chat_id);
  if (contact != NULL)
    known_name = ga_contact_get_display_name (contact);
  set_title (self, known_name);

  cached = g_hash_table_lookup (get_card_cache (), chat_id);
  if (cached != NULL)
    show_answer (self, cached->answer);
  else
    self->state = GA_CONTACT_CARD_STATE_LOADING;

  update_check (self);

  /* As the picture: a card seen before shows at once and is asked for again. */
  request_card (self);
  if (cached == NULL || self->check == GA_ACCOUNT_CHECK_NONE)
    load_card_from_disk (self);
}

/**
 * ga_contact_card_clear:
 * @self: a #GaContactCard
 *
 * Empties the card and cancels its requests.
 */
void
ga_contact_card_clear (GaContactCard *self)
{
  g_return_if_fail (GA_IS_CONTACT_CARD (self));

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->check_cancellable != NULL)
    g_cancellable_cancel (self->check_cancellable);
  g_clear_object (&self->check_cancellable);
  g_clear_handle_id (&self->retry_id, g_source_remove);

  g_clear_pointer (&self->chat_id, g_free);
  g_clear_pointer (&self->title, g_free);
  g_clear_object (&self->answer);
  gtk_label_set_text (self->title_label, NULL);
  gtk_label_set_text (self->chat_id_label, NULL);
  clear_details (self);
  set_status (self, NULL);
  self->no_picture = FALSE;
  self->check = GA_ACCOUNT_CHECK_NONE;
  self->state = GA_CONTACT_CARD_STATE_EMPTY;
  update_check (self);
}

/**
 * ga_contact_card_set_no_picture:
 * @self: a #GaContactCard
 * @no_picture: whether getAvatar said "not set / no account" for the chat
 *
 * Offers Check Account for a personal chat without a picture (never for groups).
 */
void
ga_contact_card_set_no_picture (GaContactCard *self,
                                gboolean       no_picture)
{
  g_return_if_fail (GA_IS_CONTACT_CARD (self));

  self->no_picture = !!no_picture;
  update_check (self);
}

GaContactCardState
ga_contact_card_get_state (GaContactCard *self)
{
  g_return_val_if_fail (GA_IS_CONTACT_CARD (self), GA_CONTACT_CARD_STATE_EMPTY);

  return self->state;
}

/* For tests: forgets the cards and checks kept in memory (a new run of the app). */
void
ga_contact_card_forget_memory (void)
{
  g_clear_pointer (&card_cache, g_hash_table_unref);
  g_clear_pointer (&check_cache, g_hash_table_unref);
}

/* TRUE while the card's request runs. */
gboolean
ga_contact_card_get_busy (GaContactCard *self)
{
  g_return_val_if_fail (GA_IS_CONTACT_CARD (self), FALSE);

  return self->cancellable != NULL;
}

GaAccountCheck
ga_contact_card_get_account_check (GaContactCard *self)
{
  g_return_val_if_fail (GA_IS_CONTACT_CARD (self), GA_ACCOUNT_CHECK_NONE);

  return self->check;
}

/* The title shown: sanitized, never markup. */
const char *
ga_contact_card_get_title (GaContactCard *self)
{
  g_return_val_if_fail (GA_IS_CONTACT_CARD (self), NULL);

  return self->title;
}
