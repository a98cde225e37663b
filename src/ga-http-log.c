/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "ga-http-log"

#include "config.h"

#include "ga-http-log.h"

#include <string.h>

#define INSTANCE_PREFIX "waInstance"
#define REDACTED "<redacted>"

/* Bodies are logged up to this many bytes: enough to debug, not a 10 MB picture. */
#define MAX_LOGGED_BODY (16 * 1024)

/* The length of a path separator at @p: `/`, JSON's `\/`, or `%2F`; 0 if there is none. */
static gsize
separator_length (const char *p)
{
  if (p[0] == '/')
    return 1;
  if (p[0] == '\\' && p[1] == '/')
    return 2;
  if (p[0] == '%' && p[1] == '2' && (p[2] == 'F' || p[2] == 'f'))
    return 3;
  return 0;
}

/* The most distinct tokens one logger remembers (one app uses one or two). */
#define MAX_LEARNED_SECRETS 8
/* Shorter "tokens" are not learned: replacing them everywhere would garble the log. */
#define MIN_LEARNED_SECRET 8

static void
learn_secret (GPtrArray  *learned,
              const char *secret,
              gsize       length)
{
  g_autofree char *copy = NULL;

  if (length < MIN_LEARNED_SECRET)
    return;

  copy = g_strndup (secret, length);
  for (guint i = 0; i < learned->len; i++)
    {
      if (strcmp (g_ptr_array_index (learned, i), copy) == 0)
        return;
    }

  if (learned->len >= MAX_LEARNED_SECRETS)
    g_ptr_array_remove_index (learned, 0);
  g_ptr_array_add (learned, g_steal_pointer (&copy));
}

static gboolean
ends_token (char c)
{
  return c == '\0' || c == '/' || c == '\\' || c == '?' || c == '#' || c == '"' || c == '\'' ||
         c == '<' || c == '>' || g_ascii_isspace (c) || (guchar) c < 0x20;
}

/* Redacts the token of every request path in @text; each token found is added to @learned
 * (when not NULL) so that it can be removed where it shows up alone later, e.g. in a body. */
static char *
redact_paths (const char *text,
              GPtrArray  *learned)
{
  GString *out;
  const char *p;

  out = g_string_sized_new (strlen (text));
  p = text;

  while (*p != '\0')
    {
      const char *q;
      const char *token;
      gsize sep;

      if (g_ascii_strncasecmp (p, INSTANCE_PREFIX, strlen (INSTANCE_PREFIX)) != 0)
        {
          g_string_append_c (out, *p++);
          continue;
        }

      /* waInstance<digits><sep><method><sep><token> */
      q = p + strlen (INSTANCE_PREFIX);
      while (g_ascii_isdigit (*q))
        q++;
      sep = separator_length (q);
      if (sep == 0)
        {
          g_string_append_len (out, p, q - p);
          p = q;
          continue;
        }
      q += sep;
      while (g_ascii_isalnum (*q) || *q == '_')
        q++;
      sep = separator_length (q);
      if (sep == 0)
        {
          g_string_append_len (out, p, q - p);
          p = q;
          continue;
        }
      q += sep;

      token = q;
      while (!ends_token (*q))
        q++;

      g_string_append_len (out, p, token - p);
      if (q > token)
        {
          g_string_append (out, REDACTED);
          if (learned != NULL)
            learn_secret (learned, token, q - token);
        }
      p = q;
    }

  return g_string_free (out, FALSE);
}

/**
 * ga_http_log_redact:
 * @text: a line of HTTP log output, an error body, anything that may carry a request path
 *
 * Replaces the token in every `waInstance<digits>/<method>/<token>` (also with JSON-escaped
 * `\/` or percent-encoded `%2F` separators) by `<redacted>`.
 *
 * Returns: (transfer full): the redacted copy
 */
char *
ga_http_log_redact (const char *text)
{
  g_return_val_if_fail (text != NULL, NULL);

  return redact_paths (text, NULL);
}

/**
 * ga_http_log_level_from_env:
 *
 * What the environment asks for: `GREEN_AVATAR_HTTP_DEBUG=1` (or `headers`) gives
 * %SOUP_LOGGER_LOG_HEADERS, `GREEN_AVATAR_HTTP_DEBUG=body` gives %SOUP_LOGGER_LOG_BODY, and a
 * `G_MESSAGES_DEBUG` naming `all`, `green-avatar` or `ga-http` gives %SOUP_LOGGER_LOG_HEADERS.
 *
 * Returns: the level, %SOUP_LOGGER_LOG_NONE when no HTTP logging was asked for
 */
SoupLoggerLogLevel
ga_http_log_level_from_env (void)
{
  const char *http_debug = g_getenv ("GREEN_AVATAR_HTTP_DEBUG");
  const char *messages_debug = g_getenv ("G_MESSAGES_DEBUG");

  if (http_debug != NULL && http_debug[0] != '\0' && strcmp (http_debug, "0") != 0)
    {
      if (g_ascii_strcasecmp (http_debug, "body") == 0)
        return SOUP_LOGGER_LOG_BODY;
      return SOUP_LOGGER_LOG_HEADERS;
    }

  if (messages_debug != NULL)
    {
      g_auto(GStrv) domains = g_strsplit_set (messages_debug, " ,", -1);

      for (guint i = 0; domains[i] != NULL; i++)
        {
          if (strcmp (domains[i], "all") == 0 ||
              strcmp (domains[i], "green-avatar") == 0 ||
              strcmp (domains[i], "ga-http") == 0)
            return SOUP_LOGGER_LOG_HEADERS;
        }
    }

  return SOUP_LOGGER_LOG_NONE;
}

/* The printer's state: the tokens seen in request paths so far. A server may echo a token
 * on its own (in an error body, say), where no path pattern gives it away; the request line
 * that carried it is always logged first, so it is known by then. */
typedef struct
{
  GMutex     lock;
  GPtrArray *learned;  /* (owned) (element-type utf8) */
} PrinterState;

static void
printer_state_free (gpointer data)
{
  PrinterState *state = data;

  g_mutex_clear (&state->lock);
  g_ptr_array_unref (state->learned);
  g_free (state);
}

static void
redacting_printer (SoupLogger         *logger,
                   SoupLoggerLogLevel  level,
                   char                direction,
                   const char         *data,
                   gpointer            user_data)
{
  PrinterState *state = user_data;
  g_autoptr(GString) redacted = NULL;
  g_autofree char *paths_redacted = NULL;

  g_mutex_lock (&state->lock);
  paths_redacted = redact_paths (data, state->learned);
  redacted = g_string_new (paths_redacted);
  for (guint i = 0; i < state->learned->len; i++)
    g_string_replace (redacted, g_ptr_array_index (state->learned, i), REDACTED, 0);
  g_mutex_unlock (&state->lock);

  g_printerr ("%c %s\n", direction, redacted->str);
}

/**
 * ga_http_session_enable_logging:
 * @session: a #SoupSession
 * @level: how much to log; %SOUP_LOGGER_LOG_NONE does nothing
 *
 * Attaches a #SoupLogger to @session that writes to stderr with the API token redacted from
 * every line (request lines, headers such as Location, and bodies). Tokens seen in request
 * paths are remembered and also redacted where they show up alone, e.g. echoed in a body.
 */
void
ga_http_session_enable_logging (SoupSession        *session,
                                SoupLoggerLogLevel  level)
{
  g_autoptr(SoupLogger) logger = NULL;
  PrinterState *state;

  g_return_if_fail (SOUP_IS_SESSION (session));

  if (level == SOUP_LOGGER_LOG_NONE)
    return;

  state = g_new0 (PrinterState, 1);
  g_mutex_init (&state->lock);
  state->learned = g_ptr_array_new_with_free_func (g_free);

  logger = soup_logger_new (level);
  soup_logger_set_max_body_size (logger, MAX_LOGGED_BODY);
  soup_logger_set_printer (logger, redacting_printer, state, printer_state_free);
  soup_session_add_feature (session, SOUP_SESSION_FEATURE (logger));
}
