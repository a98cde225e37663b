/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "ga-cli"

#include "config.h"

#include "ga-cli.h"

#include "ga-cache.h"
#include "ga-chat-id.h"
#include "ga-client.h"
#include "ga-contact-list.h"
#include "ga-credentials.h"
#include "ga-demo-server.h"
#include "ga-error.h"
#include "ga-export.h"
#include "ga-http-log.h"
#include "ga-http.h"
#include "ga-instances.h"
#include "ga-list-parser.h"
#include "ga-lookup.h"
#include "ga-picture.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <stdio.h>
#include <string.h>

/* The most the command line waits at the end for pictures still being written to the cache. */
#define CACHE_FLUSH_TIMEOUT_MS 5000
#include <unistd.h>

/*
 * One Job per distinct chat, one Entry per input (a command-line argument or an entry of the
 * --from list). Jobs run GA_CLI_MAX_IN_FLIGHT at a time; the client's limiter paces their
 * requests. Lines are printed in input order: an entry's line goes out (and is flushed) as
 * soon as it and every entry before it are done, so a reader sees results while later
 * lookups still run.
 *
 *   job_start -> lookup_cb -+-> save -> save_cb -+-> job_done -> flush
 *                           +-> check_account ---+
 */

typedef struct _Run Run;

typedef struct
{
  Run        *run;              /* (unowned) */
  char       *chat_id;          /* (owned) */
  GaChatKind  kind;
  const char *status;           /* (unowned) (nullable): a static word */
  gboolean    done;             /* the lookup, and the save or check after it, finished */
  char       *file;             /* (owned) (nullable): the saved picture, as given in --save */
  const char *error_code;       /* (unowned) (nullable) */
  char       *error_message;    /* (owned) (nullable) */
} Job;

typedef struct
{
  char       *input;            /* (owned): as written */
  guint       line;             /* in the --from list; 0 for a command-line argument */
  char       *chat_id;          /* (owned) (nullable): NULL when the input was refused */
  char       *list_name;        /* (owned) (nullable): the name the list gives */
  char       *error_message;    /* (owned) (nullable): why the input was refused */
  Job        *job;              /* (unowned) (nullable) */
} Entry;

struct _Run
{
  gboolean       json;
  gboolean       check_accounts;
  gboolean       force;
  gboolean       demo;
  char          *save_dir;      /* (owned) (nullable): as given */

  GPtrArray     *entries;       /* (owned) (element-type Entry) */
  GPtrArray     *jobs;          /* (owned) (element-type Job) */
  GHashTable    *job_by_chat;   /* (owned): chat ID → Job (unowned) */

  SoupSession   *session;       /* (owned) (nullable) */
  GaClient      *client;        /* (owned) (nullable) */
  GaCache       *cache;         /* (owned) (nullable) */
  GaContactList *contacts;      /* (owned) (nullable): for names */
  GCancellable  *cancellable;   /* (owned) */

  guint          next_job;
  guint          n_in_flight;
  guint          next_flush;
  guint          n_failed;
  gboolean       names_ready;
  gboolean       quota_exhausted;
  gboolean       finished;
};

static const GOptionEntry cli_entries[] = {
  { "print", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Print one tab-separated line per chat instead of opening a window"), NULL },
  { "json", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Print one JSON object per chat (JSON Lines) instead of tab-separated lines"), NULL },
  { "save", 0, 0, G_OPTION_ARG_FILENAME, NULL,
    N_("Save each picture in DIR, named as the batch export names them"), N_("DIR") },
  { "from", 0, 0, G_OPTION_ARG_FILENAME, NULL,
    N_("Read the chats from a list (text, CSV or vCard; “-” for standard input)"), N_("FILE") },
  { "check-accounts", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("Ask checkWhatsapp whether chats without a picture have WhatsApp "
       "(spends the plan’s monthly number checks)"), NULL },
  { "force", 0, 0, G_OPTION_ARG_NONE, NULL,
    N_("With --save, replace files that hold a different picture"), NULL },
  { "instance", 0, 0, G_OPTION_ARG_STRING, NULL,
    N_("Look up through this instance (its ID or label) instead of the current one"),
    N_("INSTANCE") },
  { NULL }
};

/* ──────────────────────────── Error codes ──────────────────────────── */

/* The stable `code` of an error in --json output, one per #GaError value (the man page lists
 * them; tests check that every value has one). */
static const char * const ga_error_codes[] = {
  [GA_ERROR_INVALID_CHAT_ID] = "invalid-chat-id",
  [GA_ERROR_NOT_AUTHORIZED] = "not-authorized",
  [GA_ERROR_STARTING] = "starting",
  [GA_ERROR_EXPIRED] = "expired",
  [GA_ERROR_WRONG_TOKEN] = "unauthorized",
  [GA_ERROR_WRONG_INSTANCE] = "wrong-instance",
  [GA_ERROR_WRONG_METHOD] = "wrong-method",
  [GA_ERROR_RATE_LIMITED] = "rate-limited",
  [GA_ERROR_QUOTA_EXCEEDED] = "quota-exceeded",
  [GA_ERROR_SERVER] = "server-error",
  [GA_ERROR_UPSTREAM_UNAVAILABLE] = "upstream-unavailable",
  [GA_ERROR_HTTP] = "http-error",
  [GA_ERROR_NETWORK] = "network",
  [GA_ERROR_TIMEOUT] = "timeout",
  [GA_ERROR_TLS] = "tls",
  [GA_ERROR_MALFORMED_RESPONSE] = "malformed-response",
  [GA_ERROR_TOO_LARGE] = "too-large",
  [GA_ERROR_INVALID_SETTINGS] = "invalid-settings",
  [GA_ERROR_INSECURE_URL] = "insecure-url",
  [GA_ERROR_IMAGE_EXPIRED] = "image-expired",
  [GA_ERROR_IMAGE_DOWNLOAD] = "image-download",
  [GA_ERROR_IMAGE_TOO_LARGE] = "image-too-large",
  [GA_ERROR_IMAGE_INVALID] = "image-invalid",
};

/**
 * ga_cli_error_code:
 * @error: an error of a lookup, of parsing a chat, or of saving a picture
 *
 * Returns: the stable word for @error in `--json` output: one per #GaError value,
 *   `invalid-chat-id` for a chat that could not be parsed, `file-exists` and `save-failed`
 *   for saving, `error` for anything else
 */
const char *
ga_cli_error_code (const GError *error)
{
  g_return_val_if_fail (error != NULL, "error");

  if (error->domain == GA_ERROR &&
      error->code >= 0 && (gsize) error->code < G_N_ELEMENTS (ga_error_codes) &&
      ga_error_codes[error->code] != NULL)
    return ga_error_codes[error->code];
  if (error->domain == GA_CHAT_ID_ERROR)
    return "invalid-chat-id";
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_EXISTS))
    return "file-exists";
  if (error->domain == G_IO_ERROR || error->domain == G_FILE_ERROR)
    return "save-failed";

  return "error";
}

/**
 * ga_cli_tsv_field:
 * @value: (nullable): a field's text
 *
 * A field of a tab-separated line: control characters (tabs and line breaks among them)
 * become spaces, so that one input is always one line of exactly six fields.
 *
 * Returns: (transfer full): the field, empty for %NULL
 */
char *
ga_cli_tsv_field (const char *value)
{
  char *field = g_strdup (value != NULL ? value : "");

  for (char *p = field; *p != '\0'; p++)
    if ((guchar) *p < 0x20 || *p == 0x7f)
      *p = ' ';

  return field;
}

/* ──────────────────────────── Jobs and entries ──────────────────────────── */

static void
job_free (Job *job)
{
  g_free (job->chat_id);
  g_free (job->file);
  g_free (job->error_message);
  g_free (job);
}

static void
entry_free (Entry *entry)
{
  g_free (entry->input);
  g_free (entry->chat_id);
  g_free (entry->list_name);
  g_free (entry->error_message);
  g_free (entry);
}

static void
run_free (Run *run)
{
  g_free (run->save_dir);
  g_clear_pointer (&run->entries, g_ptr_array_unref);
  g_clear_pointer (&run->job_by_chat, g_hash_table_unref);
  g_clear_pointer (&run->jobs, g_ptr_array_unref);
  g_clear_object (&run->client);
  g_clear_object (&run->cache);
  g_clear_object (&run->contacts);
  g_clear_object (&run->session);
  g_clear_object (&run->cancellable);
  g_free (run);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Run, run_free)

static Run *
run_new (void)
{
  Run *run = g_new0 (Run, 1);

  run->entries = g_ptr_array_new_with_free_func ((GDestroyNotify) entry_free);
  run->jobs = g_ptr_array_new_with_free_func ((GDestroyNotify) job_free);
  run->job_by_chat = g_hash_table_new (g_str_hash, g_str_equal);
  run->cancellable = g_cancellable_new ();

  return run;
}

/* Adds one input; a chat already asked for shares its job, so it is looked up once. */
static void
add_entry (Run        *run,
           const char *input,
           guint       line,
           const char *chat_id,
           GaChatKind  kind,
           const char *list_name,
           const char *error_message)
{
  Entry *entry = g_new0 (Entry, 1);

  entry->input = g_strdup (input);
  entry->line = line;
  entry->list_name = g_strdup (list_name != NULL && *list_name != '\0' ? list_name : NULL);

  if (chat_id == NULL)
    {
      entry->error_message = g_strdup (error_message);
    }
  else
    {
      Job *job = g_hash_table_lookup (run->job_by_chat, chat_id);

      if (job == NULL)
        {
          job = g_new0 (Job, 1);
          job->run = run;
          job->chat_id = g_strdup (chat_id);
          job->kind = kind;
          g_ptr_array_add (run->jobs, job);
          g_hash_table_insert (run->job_by_chat, job->chat_id, job);
        }

      entry->chat_id = g_strdup (chat_id);
      entry->job = job;
    }

  g_ptr_array_add (run->entries, entry);
}

static void
add_argument (Run        *run,
              const char *argument)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *chat_id = NULL;
  g_autofree char *input = g_utf8_make_valid (argument, -1);
  GaChatKind kind = GA_CHAT_KIND_PERSONAL;

  /* Printed back as it was given, so as valid UTF-8 (JSON needs it). */
  chat_id = ga_chat_id_parse (input, &kind, &error);
  add_entry (run, input, 0, chat_id, kind, NULL, error != NULL ? error->message : NULL);
}

static void
add_list (Run    *run,
          GaList *list)
{
  for (guint i = 0; i < ga_list_get_n_entries (list); i++)
    {
      const GaListEntry *entry = ga_list_get_entry (list, i);
      GaChatKind kind = GA_CHAT_KIND_PERSONAL;

      /* The list parsed it already; the kind is all that is asked again. */
      if (entry->chat_id != NULL)
        g_free (ga_chat_id_parse (entry->chat_id, &kind, NULL));

      add_entry (run, entry->text, entry->line, entry->chat_id, kind, entry->name,
                 entry->error);
    }
}

/* ──────────────────────────── Names (issue 11's contacts list) ──────────────────────────── */

/* Names come from the contacts list the app keeps on disk; when there is none, from one
 * getContacts (paced by the limiter like every request), which is then kept for next time.
 * Never one getContactInfo per chat. A name that a --from list gives wins. Lines wait for the
 * names, so a failure here only leaves them empty. */
static void flush (Run *run);

static void
names_ready (Run *run)
{
  run->names_ready = TRUE;
  flush (run);
}

static void
update_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Run *run = user_data;
  g_autoptr(GError) error = NULL;

  if (!ga_contact_list_update_finish (GA_CONTACT_LIST (object), result, &error))
    g_debug ("The contacts list could not be read: %s", error->message);

  names_ready (run);
}

static void
get_contacts_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Run *run = user_data;
  g_autoptr(GBytes) answer = NULL;
  g_autoptr(GError) error = NULL;

  answer = ga_client_get_contacts_finish (GA_CLIENT (object), result, &error);
  if (answer == NULL)
    {
      g_debug ("No names: getContacts failed: %s", error->message);
      names_ready (run);
      return;
    }

  ga_contact_list_update_async (run->contacts, answer, run->cancellable, update_cb, run);
}

static void
contacts_load_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  Run *run = user_data;
  g_autoptr(GError) error = NULL;

  if (ga_contact_list_load_finish (GA_CONTACT_LIST (object), result, &error))
    {
      names_ready (run);
      return;
    }

  g_debug ("No contacts list kept (%s); asking getContacts", error->message);
  ga_client_get_contacts_async (run->client, run->cancellable, get_contacts_cb, run);
}

static void
names_start (Run *run)
{
  g_autofree char *cache_dir = NULL;
  gboolean wanted = FALSE;

  /* Only chats that were looked up get a name; the demo server has no contacts. */
  for (guint i = 0; i < run->entries->len && !wanted; i++)
    {
      Entry *entry = g_ptr_array_index (run->entries, i);

      wanted = entry->job != NULL && entry->list_name == NULL;
    }

  if (!wanted || run->demo)
    {
      run->names_ready = TRUE;
      return;
    }

  cache_dir = g_build_filename (g_get_user_cache_dir (), "green-avatar", NULL);
  run->contacts = ga_contact_list_new (cache_dir, ga_client_get_id_instance (run->client));
  ga_contact_list_load_async (run->contacts, run->cancellable, contacts_load_cb, run);
}

static const char *
names_lookup (Run        *run,
              const char *chat_id)
{
  GaContact *contact;
  const char *name;

  if (run->contacts == NULL || chat_id == NULL)
    return NULL;

  contact = ga_contact_list_lookup (run->contacts, chat_id);
  if (contact == NULL)
    return NULL;

  name = ga_contact_get_display_name (contact);
  return name != NULL && *name != '\0' ? name : NULL;
}

/* ──────────────────────────── Output ──────────────────────────── */

static void
write_line (const char *line)
{
  fputs (line, stdout);
  fputc ('\n', stdout);
  fflush (stdout);
}

static void
print_entry (Run   *run,
             Entry *entry)
{
  const char *status = "error";
  const char *name = entry->list_name;
  const char *file = NULL;
  const char *code = NULL;
  g_autofree char *message = NULL;

  if (entry->job != NULL)
    {
      status = entry->job->status;
      file = entry->job->file;
      code = entry->job->error_code;
      message = g_strdup (entry->job->error_message);
      if (name == NULL)
        name = names_lookup (run, entry->chat_id);
    }
  else
    {
      code = "invalid-chat-id";
      message = entry->line > 0 ? g_strdup_printf (_("Line %u: %s"), entry->line,
                                                   entry->error_message)
                                : g_strdup (entry->error_message);
    }

  if (g_str_equal (status, "error") || message != NULL)
    run->n_failed++;

  if (run->json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonGenerator) generator = json_generator_new ();
      g_autoptr(JsonNode) root = NULL;
      g_autofree char *text = NULL;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "input");
      json_builder_add_string_value (builder, entry->input);
      if (entry->line > 0)
        {
          json_builder_set_member_name (builder, "line");
          json_builder_add_int_value (builder, entry->line);
        }
      json_builder_set_member_name (builder, "chatId");
      if (entry->chat_id != NULL)
        json_builder_add_string_value (builder, entry->chat_id);
      else
        json_builder_add_null_value (builder);
      json_builder_set_member_name (builder, "status");
      json_builder_add_string_value (builder, status);
      json_builder_set_member_name (builder, "name");
      if (name != NULL)
        json_builder_add_string_value (builder, name);
      else
        json_builder_add_null_value (builder);
      json_builder_set_member_name (builder, "file");
      if (file != NULL)
        json_builder_add_string_value (builder, file);
      else
        json_builder_add_null_value (builder);
      json_builder_set_member_name (builder, "error");
      if (message != NULL)
        {
          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "code");
          json_builder_add_string_value (builder, code != NULL ? code : "error");
          json_builder_set_member_name (builder, "message");
          json_builder_add_string_value (builder, message);
          json_builder_end_object (builder);
        }
      else
        {
          json_builder_add_null_value (builder);
        }
      json_builder_end_object (builder);

      root = json_builder_get_root (builder);
      json_generator_set_root (generator, root);
      text = json_generator_to_data (generator, NULL);
      write_line (text);
    }
  else
    {
      g_autofree char *input = ga_cli_tsv_field (entry->input);
      g_autofree char *chat_id = ga_cli_tsv_field (entry->chat_id);
      g_autofree char *name_field = ga_cli_tsv_field (name);
      g_autofree char *file_field = ga_cli_tsv_field (file);
      g_autofree char *message_field = ga_cli_tsv_field (message);
      g_autofree char *line = g_strjoin ("\t", input, chat_id, status, name_field, file_field,
                                         message_field, NULL);

      write_line (line);
    }
}

static gboolean
entry_is_done (Entry *entry)
{
  return entry->job == NULL || entry->job->done;
}

/* Prints every entry that is done and has only done entries before it. */
static void
flush (Run *run)
{
  if (!run->names_ready)
    return;

  while (run->next_flush < run->entries->len)
    {
      Entry *entry = g_ptr_array_index (run->entries, run->next_flush);

      if (!entry_is_done (entry))
        return;

      print_entry (run, entry);
      run->next_flush++;
    }

  run->finished = TRUE;
}

/* ──────────────────────────── Lookups ──────────────────────────── */

static void job_start (Job *job);

static void
start_jobs (Run *run)
{
  while (run->n_in_flight < GA_CLI_MAX_IN_FLIGHT && run->next_job < run->jobs->len)
    {
      Job *job = g_ptr_array_index (run->jobs, run->next_job++);

      run->n_in_flight++;
      job_start (job);
    }
}

static void
job_done (Job *job)
{
  Run *run = job->run;

  g_assert (job->status != NULL);

  job->done = TRUE;
  run->n_in_flight--;
  start_jobs (run);
  flush (run);
}

static void
job_fail (Job          *job,
          const GError *error)
{
  job->status = "error";
  job->error_code = ga_cli_error_code (error);
  g_free (job->error_message);
  job->error_message = g_strdup (error->message);
}

static void
save_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Job *job = user_data;
  g_autoptr(GError) error = NULL;

  if (!ga_export_write_file_finish (result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_EXISTS))
        {
          g_autofree char *message = NULL;

          message = g_strdup_printf (_("“%s” already holds a different picture and was left "
                                       "as it is. Use --force to replace it."), job->file);
          g_clear_error (&error);
          error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_EXISTS, message);
        }

      job_fail (job, error);
      g_clear_pointer (&job->file, g_free);
    }

  job_done (job);
}

/* Only pictures that decoded are saved, and with the bytes WhatsApp served. */
static void
save (Job            *job,
      GaLookupResult *result)
{
  Run *run = job->run;
  g_autoptr(GaPicture) picture = NULL;
  g_autoptr(GFile) file = NULL;
  g_autofree char *name = NULL;

  picture = ga_picture_new (job->chat_id, ga_lookup_result_get_texture (result),
                            ga_lookup_result_get_bytes (result));
  name = ga_picture_dup_file_name (picture);
  job->file = g_build_filename (run->save_dir, name, NULL);
  file = g_file_new_for_path (job->file);

  ga_export_write_file_async (file, ga_picture_get_file_bytes (picture), run->force,
                              run->cancellable, save_cb, job);
}

static void
check_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  Job *job = user_data;
  Run *run = job->run;
  g_autoptr(GError) error = NULL;
  gboolean exists = FALSE;

  if (ga_client_check_whatsapp_finish (GA_CLIENT (object), result, &exists, &error))
    {
      job->status = exists ? "no-picture" : "no-account";
    }
  else if (g_error_matches (error, GA_ERROR, GA_ERROR_QUOTA_EXCEEDED))
    {
      /* The chat stays not-set; no more checks are asked for. */
      if (!run->quota_exhausted)
        g_printerr (_("The plan’s monthly number checks are used up, so the remaining chats "
                      "were not checked and stay “not-set”: %s\n"), error->message);
      run->quota_exhausted = TRUE;
    }
  else
    {
      /* The lookup itself worked: the chat stays not-set, with the check's error. */
      job->error_code = ga_cli_error_code (error);
      job->error_message = g_strdup (error->message);
    }

  job_done (job);
}

/* --check-accounts: checkWhatsapp settles `not-set` into `no-picture` or `no-account`. Each
 * check spends one of the plan's monthly checks; after a 466 no more are made. */
static void
check_account (Job *job)
{
  Run *run = job->run;

  if (run->quota_exhausted || run->demo)
    {
      job_done (job);
      return;
    }

  ga_client_check_whatsapp_async (run->client, job->chat_id, run->cancellable, check_cb, job);
}

static void
lookup_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Job *job = user_data;
  Run *run = job->run;
  g_autoptr(GaLookupResult) lookup = NULL;
  g_autoptr(GError) error = NULL;

  lookup = ga_lookup_finish (GA_CLIENT (object), result, &error);
  if (lookup == NULL)
    {
      job_fail (job, error);
      job_done (job);
      return;
    }

  switch (ga_avatar_info_get_state (ga_lookup_result_get_info (lookup)))
    {
    case GA_AVATAR_STATE_HAS_AVATAR:
      job->status = "picture";
      if (run->save_dir != NULL && ga_lookup_result_get_texture (lookup) != NULL)
        {
          save (job, lookup);
          return;
        }
      break;

    case GA_AVATAR_STATE_PRIVATE:
      job->status = "private";
      break;

    case GA_AVATAR_STATE_NOT_SET:
    default:
      job->status = "not-set";
      if (run->check_accounts && job->kind == GA_CHAT_KIND_PERSONAL)
        {
          check_account (job);
          return;
        }
      break;
    }

  job_done (job);
}

static void
job_start (Job *job)
{
  Run *run = job->run;

  ga_lookup_with_cache_async (run->client, run->cache, job->chat_id, run->cancellable,
                              lookup_cb, job);
}

/* ──────────────────────────── Setting up ──────────────────────────── */

static void
usage_error (const char *message)
{
  g_printerr ("%s\n", message);
  g_printerr (_("Run “%s --help” to see the options.\n"), g_get_prgname ());
}

/* Reads all of @fd, but refuses more than the list parser would take. */
static GBytes *
read_fd (int          fd,
         const char  *name,
         GError     **error)
{
  g_autoptr(GByteArray) data = g_byte_array_new ();
  guint8 buffer[65536];

  for (;;)
    {
      gssize n = read (fd, buffer, sizeof buffer);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int saved_errno = errno;

          g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                       _("Could not read “%s”: %s"), name, g_strerror (saved_errno));
          return NULL;
        }
      if (n == 0)
        break;

      g_byte_array_append (data, buffer, n);
      if (data->len > GA_LIST_MAX_BYTES)
        break;
    }

  return g_byte_array_free_to_bytes (g_steal_pointer (&data));
}

static GaList *
read_list (const char  *path,
           GError     **error)
{
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *display = NULL;

  if (g_str_equal (path, "-"))
    {
      bytes = read_fd (STDIN_FILENO, _("standard input"), error);
    }
  else
    {
      int fd;

      display = g_filename_display_name (path);
      fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);
      if (fd < 0)
        {
          int saved_errno = errno;

          g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (saved_errno),
                       _("Could not open “%s”: %s"), display, g_strerror (saved_errno));
          return NULL;
        }
      bytes = read_fd (fd, display, error);
      close (fd);
    }

  if (bytes == NULL)
    return NULL;

  return ga_list_parse (bytes, g_str_equal (path, "-") ? NULL : path, GA_LIST_FORMAT_AUTO, -1,
                        NULL, error);
}

static void
load_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  gboolean *done = user_data;
  g_autoptr(GError) error = NULL;

  /* A missing Secret Service is no error here; only a missing token is, below. */
  if (!ga_credentials_load_finish (GA_CREDENTIALS (object), result, &error))
    g_debug ("Could not read the API token: %s", error->message);

  *done = TRUE;
}

/* The current instance's credentials, or those of @instance (an ID or label) when given. */
static GaCredentials *
load_credentials (GSettings   *settings,
                  const char  *instance,
                  GError     **error)
{
  g_autoptr(GaCredentials) credentials = NULL;
  gboolean done = FALSE;

  if (instance != NULL)
    {
      g_autofree char *cache_dir = g_build_filename (g_get_user_cache_dir (), "green-avatar",
                                                     NULL);
      g_autoptr(GaInstances) instances = ga_instances_new (settings, cache_dir);
      GaInstance *found = ga_instances_find (instances, instance, error);

      if (found == NULL)
        return NULL;
      credentials = ga_credentials_new_for_instance (ga_instance_get_id_instance (found),
                                                     ga_instance_get_api_url (found));
    }
  else
    {
      credentials = ga_credentials_new (settings);
    }

  ga_credentials_load_async (credentials, NULL, load_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);

  if (!ga_credentials_is_complete (credentials))
    {
      g_set_error_literal (error, GA_ERROR, GA_ERROR_INVALID_SETTINGS,
                           _("Green Avatar is not set up: the API URL, instance ID or token is "
                             "missing. Enter them in Preferences, or set GREEN_API_URL, "
                             "GREEN_API_ID_INSTANCE and GREEN_API_TOKEN."));
      return NULL;
    }

  return g_steal_pointer (&credentials);
}

/**
 * ga_cli_add_option_entries:
 * @application: the #GApplication
 *
 * Adds `--print`, `--json`, `--save`, `--from`, `--check-accounts`, `--force` and
 * `--instance`, and a
 * description of the command line to `--help`.
 */
void
ga_cli_add_option_entries (GApplication *application)
{
  g_application_add_main_option_entries (application, cli_entries);
  g_application_set_option_context_description (application,
    _("Command line, with no window and no display:\n"
      "  --print, --json, --save or --from look each chat up and print one line per\n"
      "  input, in input order, as soon as it is known. The tab-separated fields are:\n"
      "  input, chat ID, status (picture, private, not-set, no-picture, no-account or\n"
      "  error), name, saved file, error message.\n"
      "  Credentials are the current instance's in Preferences, or another's with\n"
      "  --instance ID-or-label, or come from GREEN_API_URL, GREEN_API_ID_INSTANCE and\n"
      "  GREEN_API_TOKEN.\n"
      "  Exit status: 0 when every chat was looked up, 1 when any failed, 2 for a usage\n"
      "  or settings error. See green-avatar(1)."));
}

/**
 * ga_cli_is_requested:
 * @options: the options of handle-local-options
 *
 * Returns: whether the options ask for the command line rather than a window
 */
gboolean
ga_cli_is_requested (GVariantDict *options)
{
  /* --check-accounts and --force mean nothing to the window: they select it too, so that
   * they are never silently ignored. */
  static const char * const selecting[] = {
    "print", "json", "save", "from", "check-accounts", "force", "instance"
  };

  for (guint i = 0; i < G_N_ELEMENTS (selecting); i++)
    if (g_variant_dict_contains (options, selecting[i]))
      return TRUE;

  return FALSE;
}

static char *
dup_filename_option (GVariantDict *options,
                     const char   *name)
{
  const char *value = NULL;

  if (!g_variant_dict_lookup (options, name, "^&ay", &value))
    return NULL;

  return g_strdup (value);
}

/**
 * ga_cli_run:
 * @options: the options of handle-local-options
 * @demo: look up in the built-in demo server
 *
 * Runs the command line to the end, in the thread-default main context, and prints the
 * results on stdout and problems on stderr.
 *
 * Returns: the exit status: %GA_CLI_EXIT_OK, %GA_CLI_EXIT_FAILED or %GA_CLI_EXIT_USAGE
 */
int
ga_cli_run (GVariantDict *options,
            gboolean      demo)
{
  g_autoptr(Run) run = run_new ();
  g_autoptr(GaCredentials) credentials = NULL;
  g_autoptr(GaDemoServer) demo_server = NULL;
  g_autoptr(GSettings) settings = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree const char **chats = NULL;
  g_autofree char *from = NULL;
  const char *instance = NULL;

  run->json = g_variant_dict_contains (options, "json");
  run->check_accounts = g_variant_dict_contains (options, "check-accounts");
  run->force = g_variant_dict_contains (options, "force");
  run->demo = demo;
  run->save_dir = dup_filename_option (options, "save");
  from = dup_filename_option (options, "from");
  g_variant_dict_lookup (options, "instance", "&s", &instance);
  g_variant_dict_lookup (options, G_OPTION_REMAINING, "^a&s", &chats);

  if (run->force && run->save_dir == NULL)
    {
      usage_error (_("--force only applies with --save DIR."));
      return GA_CLI_EXIT_USAGE;
    }
  if (run->save_dir != NULL && run->save_dir[0] == '\0')
    {
      usage_error (_("--save needs a folder."));
      return GA_CLI_EXIT_USAGE;
    }
  if ((chats == NULL || chats[0] == NULL) && from == NULL)
    {
      usage_error (_("No chats given. Name one or more phone numbers or chat IDs, or a list "
                     "with --from FILE."));
      return GA_CLI_EXIT_USAGE;
    }

  /* The inputs first: a wrong file name is found before anything is asked of the API. */
  for (guint i = 0; chats != NULL && chats[i] != NULL; i++)
    add_argument (run, chats[i]);

  if (from != NULL)
    {
      g_autoptr(GaList) list = read_list (from, &error);

      if (list == NULL)
        {
          usage_error (error->message);
          return GA_CLI_EXIT_USAGE;
        }
      add_list (run, list);
      if (ga_list_get_n_entries (list) == 0)
        g_printerr (_("The list has no chats in it.\n"));
    }

  if (demo)
    {
      demo_server = ga_demo_server_new (&error);
      if (demo_server == NULL)
        {
          g_printerr (_("The demo server could not start: %s\n"), error->message);
          return GA_CLI_EXIT_USAGE;
        }
      if (instance != NULL)
        {
          /* The window's two demo instances (ga-application.c), by ID or label. */
          g_autoptr(GaInstances) instances = ga_instances_new (NULL, NULL);
          GaInstance *found;

          ga_instances_add (instances, _("Sales"), ga_demo_server_get_url (demo_server),
                            ga_demo_server_get_id_instance (demo_server), NULL);
          ga_instances_add (instances, _("Support"), ga_demo_server_get_url (demo_server),
                            ga_demo_server_get_other_id_instance (demo_server), NULL);
          found = ga_instances_find (instances, instance, &error);
          if (found == NULL)
            {
              g_printerr ("%s\n", error->message);
              return GA_CLI_EXIT_USAGE;
            }
          credentials = ga_credentials_new_for_demo (ga_demo_server_get_url (demo_server),
                                                     ga_instance_get_id_instance (found),
                                                     ga_demo_server_get_token (demo_server));
        }
      else
        {
          credentials = ga_credentials_new_for_demo (ga_demo_server_get_url (demo_server),
                                                     ga_demo_server_get_id_instance (demo_server),
                                                     ga_demo_server_get_token (demo_server));
        }
    }
  else
    {
      GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
      g_autoptr(GSettingsSchema) schema = NULL;

      if (source != NULL)
        schema = g_settings_schema_source_lookup (source, BASE_ID, TRUE);
      if (schema == NULL)
        {
          g_printerr (_("The settings of Green Avatar (%s) are not installed. Reinstall "
                        "Green Avatar.\n"), BASE_ID);
          return GA_CLI_EXIT_USAGE;
        }

      settings = g_settings_new (BASE_ID);
      credentials = load_credentials (settings, instance, &error);
      if (credentials == NULL)
        {
          g_printerr ("%s\n", error->message);
          return GA_CLI_EXIT_USAGE;
        }
    }

  run->session = ga_http_session_new ();
  /* Off unless GREEN_AVATAR_HTTP_DEBUG or G_MESSAGES_DEBUG ask for it; the token is redacted. */
  ga_http_session_enable_logging (run->session, ga_http_log_level_from_env ());
  run->client = ga_credentials_create_client (credentials, run->session);
  if (run->client == NULL || !ga_client_check_settings (run->client, &error))
    {
      g_printerr ("%s\n", error != NULL ? error->message
                                        : _("The API settings are incomplete. Check them in "
                                            "Preferences."));
      return GA_CLI_EXIT_USAGE;
    }

  if (settings != NULL)
    {
      g_autofree char *origin = g_settings_get_string (settings, "last-image-host");

      run->cache = ga_cache_new_default ();
      ga_cache_set_image_origin (run->cache, origin);
      /* What one instance saw is never another's answer (ga_cache_set_instance()). */
      ga_cache_set_instance (run->cache, ga_client_get_id_instance (run->client));
    }

  if (run->save_dir != NULL && g_mkdir_with_parents (run->save_dir, 0777) != 0)
    {
      int saved_errno = errno;
      g_autofree char *display = g_filename_display_name (run->save_dir);

      g_printerr (_("Could not create the folder “%s”: %s\n"), display,
                  g_strerror (saved_errno));
      return GA_CLI_EXIT_USAGE;
    }

  names_start (run);
  start_jobs (run);
  flush (run);
  while (!run->finished)
    g_main_context_iteration (NULL, TRUE);

  /* The pictures the lookups fetched are still being written to the cache. */
  if (run->cache != NULL && !ga_cache_flush (run->cache, CACHE_FLUSH_TIMEOUT_MS))
    g_debug ("Some pictures were not written to the cache in time");

  return run->n_failed > 0 ? GA_CLI_EXIT_FAILED : GA_CLI_EXIT_OK;
}
