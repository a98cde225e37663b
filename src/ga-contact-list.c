/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "ga-contact-list"

#include "config.h"

#include "ga-contact-list.h"

#include "ga-json.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <string.h>

/*
 * The contacts of the linked phone (getContacts), for names everywhere: completion in the
 * chat entry, names in the history, the card. GTK-free.
 *
 * - The answer is parsed and indexed off the main thread; the main thread only swaps the
 *   finished index in. The index keeps, per contact, one search key (the address-book name
 *   and the profile name, each normalized: NFKD, combining marks dropped, case folded, runs
 *   of anything but letters and digits turned into one space) and the digits of the number,
 *   so a keystroke costs one substring search per contact and no Unicode work.
 * - Results rank a match at the start of a name first, then at the start of a word, then
 *   anywhere; within a rank, by name (the index is sorted by name, so no sort per keystroke).
 * - The list is kept in the cache directory as JSON, one file per instance, written
 *   atomically off the main thread. It holds chat IDs and names, never the token.
 * - Everything from the network or the disk is untrusted: at most GA_CONTACT_MAX_ENTRIES
 *   entries, strings cut at 64 KiB, the file at most MAX_FILE_SIZE.
 */

#define MAX_FILE_SIZE    (32 * 1024 * 1024)
#define FILE_VERSION     1
/* Queries longer than this are cut: no name in a completion is longer. */
#define MAX_QUERY_BYTES  256

typedef struct
{
  GPtrArray  *contacts;     /* (owned) (element-type GaContact): sorted by name */
  GPtrArray  *keys;         /* (owned) (element-type utf8): the name key of each contact */
  GPtrArray  *digits;       /* (owned) (element-type utf8): the digits of each chat ID */
  GHashTable *by_chat_id;   /* (owned): chat ID (unowned) → GaContact (unowned) */
  gint64      fetched;      /* real time in µs when the answer came, 0: unknown */
  gboolean    empty_retried;
} Index;

struct _GaContactList
{
  GObject  parent_instance;

  char    *cache_dir;       /* (owned) (nullable): no persistence when NULL */
  char    *id_instance;     /* (owned) (nullable) */
  Index   *index;           /* (owned) (nullable) */
};

G_DEFINE_FINAL_TYPE (GaContactList, ga_contact_list, G_TYPE_OBJECT)

enum {
  SIGNAL_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void
index_free (Index *index)
{
  if (index == NULL)
    return;

  g_clear_pointer (&index->by_chat_id, g_hash_table_unref);
  g_clear_pointer (&index->contacts, g_ptr_array_unref);
  g_clear_pointer (&index->keys, g_ptr_array_unref);
  g_clear_pointer (&index->digits, g_ptr_array_unref);
  g_free (index);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Index, index_free)

/**
 * ga_contact_list_normalize:
 * @text: UTF-8 text (invalid sequences are replaced)
 * @length: its length, or -1 when NUL-terminated
 *
 * The form names are matched in: compatibility-decomposed, combining marks dropped (so "é"
 * matches "e" and "ё" matches "е"), case folded, and every run of characters that are
 * neither letters nor digits made one space, without leading or trailing space.
 *
 * Returns: (transfer full): the normalized text, maybe empty
 */
char *
ga_contact_list_normalize (const char *text,
                           gssize      length)
{
  g_autofree char *valid = NULL;
  g_autofree char *decomposed = NULL;
  g_autoptr(GString) kept = NULL;
  gboolean space = FALSE;

  if (text == NULL)
    return g_strdup ("");

  if (length < 0)
    length = strlen (text);
  valid = g_utf8_make_valid (text, length);
  decomposed = g_utf8_normalize (valid, -1, G_NORMALIZE_NFKD);
  if (decomposed == NULL)
    return g_strdup ("");

  kept = g_string_sized_new (strlen (decomposed));
  for (const char *p = decomposed; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_ismark (c))
        continue;

      if (g_unichar_isalnum (c))
        {
          if (space && kept->len > 0)
            g_string_append_c (kept, ' ');
          space = FALSE;
          g_string_append_unichar (kept, c);
        }
      else
        {
          space = TRUE;
        }
    }

  return g_utf8_casefold (kept->str, kept->len);
}

static char *
digits_of (const char *text)
{
  GString *digits = g_string_new (NULL);

  for (const char *p = text; *p != '\0' && *p != '@'; p++)
    {
      if (g_ascii_isdigit (*p))
        g_string_append_c (digits, *p);
    }

  return g_string_free (digits, FALSE);
}

typedef struct
{
  GaContact *contact;
  char      *key;
  char      *sort_key;
} Entry;

static int
compare_entries (gconstpointer a,
                 gconstpointer b)
{
  const Entry *ea = a;
  const Entry *eb = b;
  int result;

  /* Named contacts first, then by name, then by chat ID for a stable order. */
  if ((ea->sort_key[0] == '\0') != (eb->sort_key[0] == '\0'))
    return ea->sort_key[0] == '\0' ? 1 : -1;

  result = strcmp (ea->sort_key, eb->sort_key);
  if (result != 0)
    return result;

  return strcmp (ga_contact_get_chat_id (ea->contact), ga_contact_get_chat_id (eb->contact));
}

/* Builds the index over @contacts, dropping repeated chat IDs. Runs in a worker thread. */
static Index *
index_new (GPtrArray *contacts)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GArray) entries = g_array_sized_new (FALSE, FALSE, sizeof (Entry), contacts->len);
  Index *index = g_new0 (Index, 1);

  for (guint i = 0; i < contacts->len; i++)
    {
      GaContact *contact = g_ptr_array_index (contacts, i);
      const char *contact_name = ga_contact_get_contact_name (contact);
      const char *name = ga_contact_get_name (contact);
      g_autofree char *first = NULL;
      g_autofree char *second = NULL;
      Entry entry;

      if (!g_hash_table_add (seen, (gpointer) ga_contact_get_chat_id (contact)))
        continue;

      first = ga_contact_list_normalize (contact_name, -1);
      second = ga_contact_list_normalize (name, -1);

      entry.contact = contact;
      entry.sort_key = g_strdup (first[0] != '\0' ? first : second);
      /* A line feed separates the two names, so a match never spans both. */
      if (first[0] != '\0' && second[0] != '\0' && strcmp (first, second) != 0)
        entry.key = g_strconcat (first, "\n", second, NULL);
      else
        entry.key = g_strdup (first[0] != '\0' ? first : second);
      g_array_append_val (entries, entry);
    }

  g_array_sort (entries, compare_entries);

  index->contacts = g_ptr_array_new_full (entries->len, (GDestroyNotify) ga_contact_unref);
  index->keys = g_ptr_array_new_full (entries->len, g_free);
  index->digits = g_ptr_array_new_full (entries->len, g_free);
  index->by_chat_id = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < entries->len; i++)
    {
      Entry *entry = &g_array_index (entries, Entry, i);

      g_ptr_array_add (index->contacts, ga_contact_ref (entry->contact));
      g_ptr_array_add (index->keys, entry->key);
      g_ptr_array_add (index->digits, digits_of (ga_contact_get_chat_id (entry->contact)));
      g_hash_table_insert (index->by_chat_id, (gpointer) ga_contact_get_chat_id (entry->contact),
                           entry->contact);
      g_free (entry->sort_key);
    }

  return index;
}

static void
ga_contact_list_finalize (GObject *object)
{
  GaContactList *self = (GaContactList *)object;

  g_clear_pointer (&self->cache_dir, g_free);
  g_clear_pointer (&self->id_instance, g_free);
  g_clear_pointer (&self->index, index_free);

  G_OBJECT_CLASS (ga_contact_list_parent_class)->finalize (object);
}

static void
ga_contact_list_class_init (GaContactListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = ga_contact_list_finalize;

  /**
   * GaContactList::changed:
   * The list was replaced (an update or a load finished): completions and names may differ.
   */
  signals[SIGNAL_CHANGED] =
    g_signal_new ("changed",
                  G_TYPE_FROM_CLASS (klass),
                  G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL,
                  G_TYPE_NONE, 0);
}

static void
ga_contact_list_init (GaContactList *self)
{
}

/**
 * ga_contact_list_new:
 * @cache_dir: (nullable): where to keep the list, e.g. `~/.cache/green-avatar`; %NULL keeps
 *   it in memory only
 * @id_instance: (nullable): the instance whose contacts these are; the file is
 *   `contacts-<idInstance>.json`, and only an all-digits ID is persisted
 *
 * Returns: (transfer full): a new, empty #GaContactList
 */
GaContactList *
ga_contact_list_new (const char *cache_dir,
                     const char *id_instance)
{
  GaContactList *self = g_object_new (GA_TYPE_CONTACT_LIST, NULL);

  self->cache_dir = g_strdup (cache_dir);
  self->id_instance = g_strdup (id_instance);

  return self;
}

/**
 * ga_contact_list_get_path:
 * @self: a #GaContactList
 *
 * Returns: (transfer full) (nullable): the file the list is kept in, or %NULL when it is not
 *   persisted
 */
char *
ga_contact_list_get_path (GaContactList *self)
{
  g_autofree char *name = NULL;
  gsize length;

  g_return_val_if_fail (GA_IS_CONTACT_LIST (self), NULL);

  if (self->cache_dir == NULL || self->id_instance == NULL)
    return NULL;

  length = strlen (self->id_instance);
  if (length == 0 || length > 20 || strspn (self->id_instance, "0123456789") != length)
    return NULL;

  name = g_strconcat ("contacts-", self->id_instance, ".json", NULL);
  return g_build_filename (self->cache_dir, name, NULL);
}

/* ─────────────────────────────── On disk ─────────────────────────────── */

static GBytes *
serialize (Index *index)
{
  g_autoptr(JsonBuilder) builder = json_builder_new_immutable ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  gsize length;
  char *data;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "version");
  json_builder_add_int_value (builder, FILE_VERSION);
  json_builder_set_member_name (builder, "fetched");
  json_builder_add_int_value (builder, index->fetched);
  json_builder_set_member_name (builder, "emptyRetried");
  json_builder_add_boolean_value (builder, index->empty_retried);
  json_builder_set_member_name (builder, "contacts");
  json_builder_begin_array (builder);
  for (guint i = 0; i < index->contacts->len; i++)
    {
      GaContact *contact = g_ptr_array_index (index->contacts, i);
      const char *name = ga_contact_get_name (contact);
      const char *contact_name = ga_contact_get_contact_name (contact);
      GaContactType type = ga_contact_get_contact_type (contact);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_string_value (builder, ga_contact_get_chat_id (contact));
      if (name != NULL)
        {
          json_builder_set_member_name (builder, "name");
          json_builder_add_string_value (builder, name);
        }
      if (contact_name != NULL)
        {
          json_builder_set_member_name (builder, "contactName");
          json_builder_add_string_value (builder, contact_name);
        }
      if (type != GA_CONTACT_TYPE_UNKNOWN)
        {
          json_builder_set_member_name (builder, "type");
          json_builder_add_string_value (builder, type == GA_CONTACT_TYPE_GROUP ? "group"
                                                                                : "user");
        }
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  data = json_generator_to_data (generator, &length);

  return g_bytes_new_take (data, length);
}

/* Writes @index to @path atomically (a temporary file renamed over it), readable by the user
 * only. Runs in a worker thread. */
static gboolean
save (Index       *index,
      const char  *path,
      GError     **error)
{
  g_autoptr(GBytes) bytes = serialize (index);
  g_autofree char *directory = g_path_get_dirname (path);
  gsize length;
  const char *data = g_bytes_get_data (bytes, &length);

  if (g_mkdir_with_parents (directory, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   "Could not create the cache directory: %s", g_strerror (saved_errno));
      return FALSE;
    }

  return g_file_set_contents_full (path, data, length,
                                   G_FILE_SET_CONTENTS_CONSISTENT, 0600, error);
}

/* Reads the file written by save(). Runs in a worker thread. */
static Index *
load (const char  *path,
      GError     **error)
{
  g_autoptr(GMappedFile) file = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GPtrArray) contacts = NULL;
  JsonObject *object;
  JsonArray *array;
  Index *index;
  gint64 version = 0;
  gint64 fetched = 0;
  gboolean empty_retried = FALSE;

  file = g_mapped_file_new (path, FALSE, error);
  if (file == NULL)
    return NULL;

  root = ga_json_parse_untrusted (g_mapped_file_get_contents (file),
                                  g_mapped_file_get_length (file),
                                  JSON_NODE_OBJECT, MAX_FILE_SIZE, error);
  if (root == NULL)
    return NULL;
  object = json_node_get_object (root);

  array = ga_json_get_array (object, "contacts");
  if (!ga_json_get_integer (object, "version", &version) || version != FILE_VERSION ||
      array == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                           "The contacts file is of another version or damaged");
      return NULL;
    }

  ga_json_get_integer (object, "fetched", &fetched);
  ga_json_get_boolean (object, "emptyRetried", &empty_retried);

  contacts = ga_contact_list_from_json (array);
  index = index_new (contacts);
  /* A time in the future (a damaged file, a clock set back) counts as long ago. */
  index->fetched = fetched > 0 && fetched <= g_get_real_time () ? fetched : 0;
  index->empty_retried = empty_retried;

  return index;
}

/* ─────────────────────────────── Updates ─────────────────────────────── */

typedef struct
{
  GBytes   *answer;         /* (owned) (nullable): for an update */
  char     *path;           /* (owned) (nullable): where the list is kept */
  gboolean  was_empty;      /* the list being replaced came from an empty answer */
} Job;

static void
job_free (Job *job)
{
  g_clear_pointer (&job->answer, g_bytes_unref);
  g_free (job->path);
  g_free (job);
}

static void
update_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  Job *job = task_data;
  g_autoptr(GPtrArray) contacts = NULL;
  g_autoptr(Index) index = NULL;
  g_autoptr(GError) error = NULL;
  const char *data;
  gsize length;

  data = g_bytes_get_data (job->answer, &length);
  contacts = ga_contact_parse_list (data, length, &error);
  if (contacts == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  index = index_new (contacts);
  index->fetched = g_get_real_time ();
  /* "Ask again once when empty": a second empty answer in a row uses up the retry. */
  index->empty_retried = index->contacts->len == 0 && job->was_empty;

  if (job->path != NULL && !save (index, job->path, &error))
    g_debug ("Could not keep the contacts list on disk: %s", error->message);

  g_task_return_pointer (task, g_steal_pointer (&index), (GDestroyNotify) index_free);
}

static void
load_thread (GTask        *task,
             gpointer      source_object,
             gpointer      task_data,
             GCancellable *cancellable)
{
  Job *job = task_data;
  GError *error = NULL;
  Index *index;

  index = load (job->path, &error);
  if (index == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, index, (GDestroyNotify) index_free);
}

/* Back on the caller's thread: the one moment the main thread works, swapping the index. */
static void
swap_in_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  GaContactList *self = GA_CONTACT_LIST (object);
  g_autoptr(GTask) outer = user_data;
  g_autoptr(GError) error = NULL;
  Index *index;

  index = g_task_propagate_pointer (G_TASK (result), &error);
  if (index == NULL)
    {
      g_task_return_error (outer, g_steal_pointer (&error));
      return;
    }

  g_clear_pointer (&self->index, index_free);
  self->index = index;
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);

  g_task_return_boolean (outer, TRUE);
}

static void
run_job (GaContactList       *self,
         Job                 *job,
         GTaskThreadFunc      thread_func,
         GCancellable        *cancellable,
         GAsyncReadyCallback  callback,
         gpointer             user_data,
         gpointer             source_tag)
{
  g_autoptr(GTask) outer = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(GTask) inner = g_task_new (self, cancellable, swap_in_cb, g_object_ref (outer));

  g_task_set_source_tag (outer, source_tag);
  g_task_set_source_tag (inner, source_tag);
  g_task_set_task_data (inner, job, (GDestroyNotify) job_free);
  g_task_run_in_thread (inner, thread_func);
}

/**
 * ga_contact_list_update_async:
 * @self: a #GaContactList
 * @answer: the body of a getContacts answer (ga_client_get_contacts_finish())
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the list was replaced, or failed to be
 * @user_data: data for @callback
 *
 * Parses and indexes @answer in a worker thread, keeps it on disk there (atomically), then
 * replaces the list and emits #GaContactList::changed. On a malformed answer the list stays
 * as it was. The fetch time becomes now.
 */
void
ga_contact_list_update_async (GaContactList       *self,
                              GBytes              *answer,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  Job *job;

  g_return_if_fail (GA_IS_CONTACT_LIST (self));
  g_return_if_fail (answer != NULL);

  job = g_new0 (Job, 1);
  job->answer = g_bytes_ref (answer);
  job->path = ga_contact_list_get_path (self);
  job->was_empty = self->index != NULL && self->index->contacts->len == 0 &&
                   self->index->fetched != 0;

  run_job (self, job, update_thread, cancellable, callback, user_data,
           ga_contact_list_update_async);
}

/**
 * ga_contact_list_update_finish:
 * @self: a #GaContactList
 * @result: the #GAsyncResult
 * @error: a #GA_ERROR when the answer could not be read, or %G_IO_ERROR_CANCELLED
 *
 * Returns: %TRUE when the list was replaced
 */
gboolean
ga_contact_list_update_finish (GaContactList  *self,
                               GAsyncResult   *result,
                               GError        **error)
{
  g_return_val_if_fail (GA_IS_CONTACT_LIST (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * ga_contact_list_load_async:
 * @self: a #GaContactList
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the list was loaded, or failed to be
 * @user_data: data for @callback
 *
 * Reads the list kept on disk in a worker thread and replaces the list with it, fetch time
 * included. Call it at start-up, before deciding whether to ask getContacts.
 */
void
ga_contact_list_load_async (GaContactList       *self,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  Job *job;

  g_return_if_fail (GA_IS_CONTACT_LIST (self));

  job = g_new0 (Job, 1);
  job->path = ga_contact_list_get_path (self);
  if (job->path == NULL)
    {
      g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

      job_free (job);
      g_task_set_source_tag (task, ga_contact_list_load_async);
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                               "This contacts list is not kept on disk");
      return;
    }

  run_job (self, job, load_thread, cancellable, callback, user_data,
           ga_contact_list_load_async);
}

/**
 * ga_contact_list_load_finish:
 * @self: a #GaContactList
 * @result: the #GAsyncResult
 * @error: %G_FILE_ERROR_NOENT when nothing is kept yet, or another error (not for a person:
 *   a damaged file is simply fetched again)
 *
 * Returns: %TRUE when the list was loaded
 */
gboolean
ga_contact_list_load_finish (GaContactList  *self,
                             GAsyncResult   *result,
                             GError        **error)
{
  g_return_val_if_fail (GA_IS_CONTACT_LIST (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ─────────────────────────────── Queries ─────────────────────────────── */

guint
ga_contact_list_get_n_contacts (GaContactList *self)
{
  g_return_val_if_fail (GA_IS_CONTACT_LIST (self), 0);

  return self->index != NULL ? self->index->contacts->len : 0;
}

/**
 * ga_contact_list_lookup:
 * @self: a #GaContactList
 * @chat_id: a chat ID
 *
 * For names in the history and on the card.
 *
 * Returns: (transfer none) (nullable): the contact of @chat_id, valid until the next
 *   #GaContactList::changed (take a reference to keep it)
 */
GaContact *
ga_contact_list_lookup (GaContactList *self,
                        const char    *chat_id)
{
  g_return_val_if_fail (GA_IS_CONTACT_LIST (self), NULL);

  if (self->index == NULL || chat_id == NULL)
    return NULL;

  return g_hash_table_lookup (self->index->by_chat_id, chat_id);
}

/* 0: @needle starts a name; 1: it starts a word; 2: it is inside a word; -1: absent. */
static int
rank_in (const char *key,
         const char *needle)
{
  const char *p = strstr (key, needle);
  int best = -1;

  while (p != NULL)
    {
      if (p == key || p[-1] == '\n')
        return 0;
      if (p[-1] == ' ')
        best = 1;
      else if (best < 0)
        best = 2;
      p = strstr (p + 1, needle);
    }

  return best;
}

/* The digits of @query when it looks like (part of) a phone number, else NULL. */
static char *
query_digits (const char *query)
{
  g_autoptr(GString) digits = g_string_new (NULL);

  for (const char *p = query; *p != '\0'; p++)
    {
      if (g_ascii_isdigit (*p))
        g_string_append_c (digits, *p);
      else if (strchr (" +-().", *p) == NULL)
        return NULL;
    }

  if (digits->len == 0)
    return NULL;

  return g_string_free (g_steal_pointer (&digits), FALSE);
}

/**
 * ga_contact_list_complete:
 * @self: a #GaContactList
 * @query: what was typed: part of a name ("anna", "Анна", "kar") or of a number
 *   ("+7 900", "7900")
 * @max_results: the most contacts to return
 *
 * Finds contacts whose address-book or profile name contains @query, ignoring case and
 * accents, or whose number contains its digits. Matches at the start of a name come first,
 * then at the start of a word, then anywhere else; within each, by name. Cheap enough to
 * run on every keystroke over 10,000 contacts.
 *
 * Returns: (transfer container) (element-type GaContact): at most @max_results contacts
 */
GPtrArray *
ga_contact_list_complete (GaContactList *self,
                          const char    *query,
                          guint          max_results)
{
  GPtrArray *ranked[3];
  g_autofree char *needle = NULL;
  g_autofree char *digits = NULL;
  GPtrArray *results;
  Index *index;

  g_return_val_if_fail (GA_IS_CONTACT_LIST (self), NULL);

  results = g_ptr_array_new_with_free_func ((GDestroyNotify) ga_contact_unref);
  index = self->index;
  if (index == NULL || query == NULL || max_results == 0)
    return results;

  needle = ga_contact_list_normalize (query, strnlen (query, MAX_QUERY_BYTES));
  digits = query_digits (query);
  if (needle[0] == '\0' && digits == NULL)
    return results;

  for (guint r = 0; r < G_N_ELEMENTS (ranked); r++)
    ranked[r] = g_ptr_array_new ();

  for (guint i = 0; i < index->contacts->len; i++)
    {
      int rank = -1;

      if (needle[0] != '\0')
        rank = rank_in (g_ptr_array_index (index->keys, i), needle);

      if (digits != NULL)
        {
          const char *number = g_ptr_array_index (index->digits, i);
          const char *p = strstr (number, digits);

          if (p != NULL && (rank < 0 || (p == number ? 0 : 2) < rank))
            rank = p == number ? 0 : 2;
        }

      /* Rank 0 fills up first; once it is full, nothing else can get in. */
      if (rank >= 0 && ranked[rank]->len < max_results)
        g_ptr_array_add (ranked[rank], g_ptr_array_index (index->contacts, i));
      if (ranked[0]->len >= max_results)
        break;
    }

  for (guint r = 0; r < G_N_ELEMENTS (ranked); r++)
    {
      for (guint i = 0; i < ranked[r]->len && results->len < max_results; i++)
        g_ptr_array_add (results, ga_contact_ref (g_ptr_array_index (ranked[r], i)));
      g_ptr_array_unref (ranked[r]);
    }

  return results;
}

/**
 * ga_contact_list_get_fetched_time:
 * @self: a #GaContactList
 *
 * Returns: when the list was last fetched from getContacts, in real-time microseconds
 *   (g_get_real_time()), kept across restarts; 0 when never
 */
gint64
ga_contact_list_get_fetched_time (GaContactList *self)
{
  g_return_val_if_fail (GA_IS_CONTACT_LIST (self), 0);

  return self->index != NULL ? self->index->fetched : 0;
}

/**
 * ga_contact_list_should_fetch:
 * @self: a #GaContactList
 * @now: g_get_real_time(), or a fake time in tests
 *
 * The rate the UI asks getContacts at: once after start-up (never fetched, or the list on
 * disk is older than %GA_CONTACT_LIST_REFRESH_INTERVAL), and on demand, but no more than
 * every %GA_CONTACT_LIST_REFRESH_INTERVAL. See also ga_contact_list_wants_retry().
 *
 * Returns: %TRUE when getContacts may be asked now
 */
gboolean
ga_contact_list_should_fetch (GaContactList *self,
                              gint64         now)
{
  gint64 fetched;

  g_return_val_if_fail (GA_IS_CONTACT_LIST (self), FALSE);

  fetched = ga_contact_list_get_fetched_time (self);
  if (fetched == 0 || fetched > now)
    return TRUE;

  return now - fetched >= GA_CONTACT_LIST_REFRESH_INTERVAL;
}

/**
 * ga_contact_list_wants_retry:
 * @self: a #GaContactList
 *
 * New contacts can take 5 minutes to show up in getContacts, so an empty answer is asked
 * again once: schedule a fetch for when ga_contact_list_should_fetch() allows it.
 *
 * Returns: %TRUE when the last answer was empty and has not been asked again yet
 */
gboolean
ga_contact_list_wants_retry (GaContactList *self)
{
  g_return_val_if_fail (GA_IS_CONTACT_LIST (self), FALSE);

  return self->index != NULL && self->index->fetched != 0 &&
         self->index->contacts->len == 0 && !self->index->empty_retried;
}
