/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "ga-client"

#include "config.h"

#include "ga-client.h"

#include "ga-error.h"
#include "ga-http.h"
#include "ga-json.h"
#include "ga-response.h"
#include "ga-settings-check.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <string.h>

/*
 * The GREEN-API client. Every request URL carries the token in its path, so no URL is ever
 * logged or put into an error, and every error message is scrubbed of the token once more
 * before it leaves this file.
 */

#define DEFAULT_MAX_RETRIES     3
#define DEFAULT_RETRY_DELAY_MS  500
#define DEFAULT_TIMEOUT_SECONDS 45
/* The picture is larger than an API answer and comes from another host, so it gets a bound
 * of its own (see ga_download_async()). */
#define DEFAULT_IMAGE_TIMEOUT_SECONDS 60
/* The longest wait between two attempts, whatever Retry-After or the backoff says. */
#define MAX_RETRY_DELAY_MS      30000
#define MAX_CHAT_ID_LENGTH      512

struct _GaClient
{
  GObject       parent_instance;

  SoupSession  *session;         /* (owned) */
  char         *api_url;         /* (owned) (nullable) */
  char         *id_instance;     /* (owned) (nullable) */
  char         *token;           /* (owned) (nullable): a secret */
  guint         max_retries;
  guint         retry_delay_ms;
  guint         timeout_seconds;
  guint         image_timeout_seconds;
  GPtrArray    *requests;        /* (owned) (element-type GCancellable): one per running call */
  GaLimiter    *limiter;         /* (owned): paces every request (ga_limiter_get_default()) */
  char         *limiter_key;     /* (owned) (nullable): the instance, as the limiter knows it */
  GaRequestPriority priority;
};

G_DEFINE_FINAL_TYPE (GaClient, ga_client, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_SESSION,
  PROP_API_URL,
  PROP_ID_INSTANCE,
  PROP_TOKEN,
  PROP_MAX_RETRIES,
  PROP_RETRY_DELAY_MS,
  PROP_TIMEOUT_SECONDS,
  PROP_IMAGE_TIMEOUT_SECONDS,
  PROP_LIMITER,
  PROP_PRIORITY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The methods and their limits are the limiter's table (ga-limiter.c). */
typedef GaApiMethod Method;
#define METHOD_GET_AVATAR GA_API_METHOD_GET_AVATAR
#define METHOD_GET_STATE  GA_API_METHOD_GET_STATE_INSTANCE

/* The state of one call, across its attempts. */
typedef struct
{
  GaClient     *client;          /* (owned) */
  Method        method;
  GUri         *uri;             /* (owned): has the token; never logged */
  GBytes       *body;            /* (owned) (nullable): the JSON request body */
  char         *chat_id;         /* (owned) (nullable) */

  /* The total timeout; its cancellable, which the caller's cancellable, the timeout and
   * dispose cancel, is what every step uses. */
  GaHttpDeadline *deadline;      /* (owned) */
  GCancellable *cancellable;     /* (unowned): the deadline's */

  GSource      *wait_source;     /* (owned) (nullable): the backoff timer */
  GSource      *wait_cancel_source; /* (owned) (nullable): ends the backoff on cancel */

  GaHttpReply  *reply;           /* (owned) (nullable): the current attempt's answer */
  guint         attempts;        /* requests sent so far */
  guint         retries;         /* retries done so far */
  gboolean      retried_500;
  gboolean      finished;

  GaLimiterPermit *permit;       /* (owned) (nullable): the limiter's go for this attempt */
} Request;

static void
clear_source (GSource **source)
{
  if (*source != NULL)
    {
      g_source_destroy (*source);
      g_clear_pointer (source, g_source_unref);
    }
}

/* The backoff's sources hold a reference on the task. They go away here, with the deadline's,
 * when the task returns, so the task can be freed as soon as its callback ran. */
static void
request_teardown (Request *request)
{
  ga_http_deadline_stop (request->deadline);
  g_clear_pointer (&request->permit, ga_limiter_permit_release);
  clear_source (&request->wait_source);
  clear_source (&request->wait_cancel_source);

  if (request->client != NULL)
    g_ptr_array_remove (request->client->requests, request->cancellable);
}

static void
request_free (Request *request)
{
  request_teardown (request);
  g_clear_object (&request->client);
  g_clear_pointer (&request->uri, g_uri_unref);
  g_clear_pointer (&request->body, g_bytes_unref);
  g_clear_pointer (&request->chat_id, g_free);
  g_clear_pointer (&request->deadline, ga_http_deadline_free);
  g_clear_pointer (&request->reply, ga_http_reply_free);
  g_free (request);
}

/* Defence in depth: whatever produced @error, its message must not carry the token. */
static GError *
scrub_error (GaClient *self,
             GError   *error)
{
  if (self->token != NULL && self->token[0] != '\0' && strstr (error->message, self->token))
    {
      g_autoptr(GString) message = g_string_new (error->message);

      g_string_replace (message, self->token, "…", 0);
      g_free (error->message);
      error->message = g_string_free (g_steal_pointer (&message), FALSE);
    }

  return error;
}

static void
request_return_error (GTask  *task,
                      GError *error)
{
  Request *request = g_task_get_task_data (task);

  if (request->finished)
    {
      g_error_free (error);
      return;
    }

  request->finished = TRUE;
  request_teardown (request);

  /* The total timeout works by cancelling, so whatever failed after it fired failed because
   * of it; the caller's own cancel still wins (GTask reports it in any case). */
  if (ga_http_deadline_has_expired (request->deadline))
    {
      g_error_free (error);
      error = g_error_new (GA_ERROR, GA_ERROR_TIMEOUT,
                           ngettext ("GREEN-API did not answer within %u second. Check your "
                                     "internet connection, then try again.",
                                     "GREEN-API did not answer within %u seconds. Check your "
                                     "internet connection, then try again.",
                                     request->client->timeout_seconds),
                           request->client->timeout_seconds);
    }

  g_task_return_error (task, scrub_error (request->client, error));
}

static void
request_return_gerror (GTask        *task,
                       const GError *error)
{
  request_return_error (task, ga_http_error_from_gerror (error));
}

static void start_attempt (GTask *task);
static const char *limiter_key (GaClient *self);

static gboolean
wait_done_cb (gpointer user_data)
{
  /* The sources below hold the task; keep it while they go away. */
  g_autoptr(GTask) task = g_object_ref (user_data);
  Request *request = g_task_get_task_data (task);

  clear_source (&request->wait_source);
  clear_source (&request->wait_cancel_source);

  if (g_cancellable_is_cancelled (request->cancellable))
    {
      request_return_error (task, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                                       _("The request was cancelled.")));
      return G_SOURCE_REMOVE;
    }

  start_attempt (task);

  return G_SOURCE_REMOVE;
}

static gboolean
wait_cancelled_cb (GCancellable *cancellable,
                   gpointer      user_data)
{
  return wait_done_cb (user_data);
}

/* Waits @delay_ms, or less when the call is cancelled meanwhile, then tries again. */
static void
schedule_retry (GTask *task,
                guint  delay_ms)
{
  Request *request = g_task_get_task_data (task);
  GMainContext *context = g_task_get_context (task);

  request->retries++;

  request->wait_source = g_timeout_source_new (delay_ms);
  g_source_set_priority (request->wait_source, G_PRIORITY_DEFAULT);
  g_source_set_callback (request->wait_source, wait_done_cb, g_object_ref (task),
                         g_object_unref);
  g_source_attach (request->wait_source, context);

  request->wait_cancel_source = g_cancellable_source_new (request->cancellable);
  g_source_set_callback (request->wait_cancel_source, G_SOURCE_FUNC (wait_cancelled_cb),
                         g_object_ref (task), g_object_unref);
  g_source_attach (request->wait_cancel_source, context);
}

/* The delay a Retry-After header asks for, or -1 when it is absent or unusable. */
static gint64
parse_retry_after (const char *value)
{
  g_autofree char *trimmed = NULL;
  g_autoptr(GDateTime) date = NULL;
  g_autoptr(GDateTime) now = NULL;
  GTimeSpan span;

  if (value == NULL)
    return -1;

  trimmed = g_strstrip (g_strdup (value));
  if (trimmed[0] == '\0')
    return -1;

  if (g_ascii_isdigit (trimmed[0]))
    {
      guint64 seconds = 0;

      for (const char *p = trimmed; *p != '\0'; p++)
        {
          if (!g_ascii_isdigit (*p))
            return -1;
          /* Anything this large is clamped anyway; stop before it overflows. */
          if (seconds < 1000000)
            seconds = seconds * 10 + (guint64) (*p - '0');
        }

      return (gint64) MIN (seconds * 1000, (guint64) MAX_RETRY_DELAY_MS);
    }

  date = soup_date_time_new_from_http_string (trimmed);
  if (date == NULL)
    return -1;

  now = g_date_time_new_now_utc ();
  span = g_date_time_difference (date, now);
  if (span < 0)
    return -1;

  return MIN (span / G_TIME_SPAN_MILLISECOND, (gint64) MAX_RETRY_DELAY_MS);
}

/* The next exponential backoff delay: retry-delay-ms, doubled for each retry so far. */
static guint
backoff_delay (Request *request)
{
  guint64 delay = request->client->retry_delay_ms;

  for (guint i = 0; i < request->retries && delay < MAX_RETRY_DELAY_MS; i++)
    delay *= 2;

  return (guint) MIN (delay, (guint64) MAX_RETRY_DELAY_MS);
}

/* TRUE when a retry after @delay_ms was scheduled; FALSE when the call should give up,
 * because the retries ran out or the wait would outlast the total timeout. */
static gboolean
maybe_retry (GTask *task,
             guint  delay_ms)
{
  Request *request = g_task_get_task_data (task);

  if (request->retries >= request->client->max_retries)
    return FALSE;

  if (g_get_monotonic_time () + (gint64) delay_ms * G_TIME_SPAN_MILLISECOND >=
      ga_http_deadline_get_time (request->deadline))
    return FALSE;

  schedule_retry (task, delay_ms);
  return TRUE;
}

static gboolean
retry_for_status (GTask *task,
                  guint  status)
{
  Request *request = g_task_get_task_data (task);

  switch (status)
    {
    case 429: /* Too Many Requests: libsoup 3.2 has no name for it. */
      {
        SoupMessageHeaders *headers = ga_http_reply_get_headers (request->reply);
        gint64 retry_after = parse_retry_after (soup_message_headers_get_one (headers,
                                                                              "Retry-After"));

        guint delay = retry_after >= 0 ? (guint) retry_after : backoff_delay (request);

        /* Every client of this instance waits, not only this call. */
        ga_limiter_slow_down (request->client->limiter, limiter_key (request->client),
                              request->method, delay);
        return maybe_retry (task, delay);
      }

    case SOUP_STATUS_BAD_GATEWAY:
      return maybe_retry (task, backoff_delay (request));

    case SOUP_STATUS_INTERNAL_SERVER_ERROR:
      /* Only getAvatar, and only once: a server error rarely goes away by itself. */
      if (request->method != METHOD_GET_AVATAR || request->retried_500)
        return FALSE;
      if (!maybe_retry (task, backoff_delay (request)))
        return FALSE;
      request->retried_500 = TRUE;
      return TRUE;

    default:
      return FALSE;
    }
}

static void handle_other_body (GTask  *task,
                               GBytes *body);
static GError *quota_error_with_description (GError     *error,
                                             guint       status,
                                             const char *data,
                                             gsize       length);

static void
handle_body (GTask  *task,
             GBytes *body)
{
  Request *request = g_task_get_task_data (task);
  guint status = ga_http_reply_get_status (request->reply);
  const char *data = NULL;
  gsize length = 0;

  if (body != NULL)
    data = g_bytes_get_data (body, &length);

  if (SOUP_STATUS_IS_SUCCESSFUL (status) &&
      request->method != METHOD_GET_AVATAR && request->method != METHOD_GET_STATE)
    {
      handle_other_body (task, body);
      return;
    }

  if (SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      GError *error = NULL;

      if (request->method == METHOD_GET_AVATAR)
        {
          GaResponseAction action = GA_RESPONSE_OK;
          g_autoptr(GaAvatarInfo) info = NULL;

          info = ga_response_parse_avatar (data, length, request->chat_id, &action, &error);
          if (action == GA_RESPONSE_RETRY)
            {
              if (maybe_retry (task, backoff_delay (request)))
                return;

              /* Asked once more without an action, the parser says what went wrong. */
              info = ga_response_parse_avatar (data, length, request->chat_id, NULL, &error);
            }

          if (info == NULL)
            {
              if (error == NULL)
                error = g_error_new_literal (GA_ERROR, GA_ERROR_UPSTREAM_UNAVAILABLE,
                                             _("GREEN-API could not look up the picture in "
                                               "time. Try again in a moment."));
              request_return_error (task, error);
              return;
            }

          request->finished = TRUE;
          request_teardown (request);
          g_task_return_pointer (task, g_steal_pointer (&info), g_object_unref);
        }
      else
        {
          GaInstanceState state = GA_INSTANCE_STATE_UNKNOWN;

          if (!ga_response_parse_state (data, length, &state, &error))
            {
              request_return_error (task, error);
              return;
            }

          request->finished = TRUE;
          request_teardown (request);
          g_task_return_int (task, state);
        }

      return;
    }

  if (retry_for_status (task, status))
    return;

  {
    SoupMessageHeaders *headers = ga_http_reply_get_headers (request->reply);
    const char *content_type = soup_message_headers_get_content_type (headers, NULL);

    GError *error = ga_response_error_from_status (status, content_type, data, length);

    request_return_error (task, quota_error_with_description (error, status, data, length));
  }
}

/* The answer is back with its body, both read in the network thread (ga-http.c). */
static void
exchange_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Request *request = g_task_get_task_data (task);
  g_autoptr(GaHttpReply) reply = NULL;
  g_autoptr(GError) error = NULL;
  const GError *body_error;
  guint status;

  reply = ga_http_exchange_finish (result, &error);

  /* The answer is back (or the request failed): the request has reached the server, so the
   * limiter can count its second from now, and from when it was written rather than granted. */
  if (reply != NULL && request->permit != NULL && ga_http_reply_get_sent_time (reply) > 0)
    ga_limiter_permit_set_sent_time (request->permit, ga_http_reply_get_sent_time (reply));
  g_clear_pointer (&request->permit, ga_limiter_permit_release);

  if (request->finished)
    return;

  if (reply == NULL)
    {
      request_return_gerror (task, error);
      return;
    }

  g_clear_pointer (&request->reply, ga_http_reply_free);
  request->reply = g_steal_pointer (&reply);
  status = ga_http_reply_get_status (request->reply);
  body_error = ga_http_reply_get_body_error (request->reply);

  if (body_error != NULL)
    {
      /* The status of an error answer says enough even when its body could not be read. */
      if (!SOUP_STATUS_IS_SUCCESSFUL (status) &&
          !g_error_matches (body_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          handle_body (task, NULL);
          return;
        }

      request_return_gerror (task, body_error);
      return;
    }

  handle_body (task, ga_http_reply_get_body (request->reply));
}

static void
send_attempt (GTask *task)
{
  Request *request = g_task_get_task_data (task);

  /* The API never redirects; following one could resend the token's path elsewhere, or in
   * plain text to an http:// Location. A 3xx is reported instead. */
  /* getAvatar is a POST but only reads: marked idempotent, libsoup sends it on a connection
   * that is already open (kept alive, or opened ahead of time) instead of a new one, which
   * saves the TCP and TLS round trips. A POST without the flag always gets a fresh connection. */
  /* Not checkWhatsapp: each call counts against a monthly quota, so libsoup must not send it
   * a second time when a kept-alive connection closes under it. */
  /* The status is known before the body is read; the body is read (capped) for both success
   * and error. */
  request->attempts++;
  ga_http_exchange_async (request->client->session,
                          request->body != NULL ? SOUP_METHOD_POST : SOUP_METHOD_GET,
                          request->uri,
                          request->method == GA_API_METHOD_CHECK_WHATSAPP ?
                          SOUP_MESSAGE_NO_REDIRECT :
                          SOUP_MESSAGE_NO_REDIRECT | SOUP_MESSAGE_IDEMPOTENT,
                          "application/json",
                          request->body,
                          request->body != NULL ? "application/json" : NULL,
                          request->method == GA_API_METHOD_GET_CONTACTS ?
                          GA_CLIENT_MAX_CONTACTS_SIZE : GA_CLIENT_MAX_RESPONSE_SIZE,
                          NULL,
                          request->cancellable,
                          exchange_cb,
                          g_object_ref (task));
}

/* The limiter counts per instance. The key also holds the API URL (without one trailing
 * '/'): a process reaches an instance through the one apiUrl of its settings, and two
 * loopback servers in one test program are then two instances, as they should be. */
static const char *
limiter_key (GaClient *self)
{
  if (self->limiter_key == NULL)
    {
      g_autofree char *base = g_strdup (self->api_url != NULL ? self->api_url : "");
      gsize length = strlen (base);

      if (length > 0 && base[length - 1] == '/')
        base[length - 1] = '\0';
      self->limiter_key = g_strconcat (self->id_instance != NULL ? self->id_instance : "",
                                       " ", base, NULL);
    }

  return self->limiter_key;
}

static void
acquire_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Request *request = g_task_get_task_data (task);
  g_autoptr(GaLimiterPermit) permit = NULL;
  g_autoptr(GError) error = NULL;

  permit = ga_limiter_acquire_finish (GA_LIMITER (object), result, &error);

  if (request->finished)
    return;

  if (permit == NULL)
    {
      request_return_gerror (task, error);
      return;
    }

  request->permit = g_steal_pointer (&permit);
  send_attempt (task);
}

/* Every attempt, retries included, waits for the process-wide limiter first (the total
 * timeout covers the wait); cancelling takes it out of the queue. */
static void
start_attempt (GTask *task)
{
  Request *request = g_task_get_task_data (task);

  ga_limiter_acquire_async (request->client->limiter,
                            limiter_key (request->client),
                            request->method,
                            request->client->priority,
                            request->cancellable,
                            acquire_cb,
                            g_object_ref (task));
}

/* The request URL: {apiUrl without one trailing '/'}/waInstance{id}/{method}/{token}. */
static GUri *
build_uri (GaClient    *self,
           const char  *method,
           GError     **error)
{
  g_autofree char *base = NULL;
  g_autofree char *token = NULL;
  g_autofree char *url = NULL;
  g_autoptr(GUri) uri = NULL;
  gsize length;

  if (!ga_client_check_settings (self, error))
    return NULL;

  base = g_strdup (self->api_url);
  length = strlen (base);
  if (length > 0 && base[length - 1] == '/')
    base[length - 1] = '\0';

  /* Validation forbids '/', but a '?', '#' or '%' in the token must not change the URL. */
  token = g_uri_escape_string (self->token, NULL, FALSE);
  url = g_strconcat (base, "/waInstance", self->id_instance, "/", method, "/", token, NULL);

  uri = g_uri_parse (url, SOUP_HTTP_URI_FLAGS, NULL);
  if (uri == NULL)
    {
      g_set_error_literal (error, GA_ERROR, GA_ERROR_INVALID_SETTINGS,
                           _("The API URL is not valid. Copy it from the GREEN-API console into "
                             "Preferences."));
      return NULL;
    }

  return g_steal_pointer (&uri);
}

static void
start_request (GaClient            *self,
               Method               method,
               const char          *chat_id,
               GBytes              *body,
               GCancellable        *cancellable,
               GAsyncReadyCallback  callback,
               gpointer             user_data,
               gpointer             source_tag)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  Request *request;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, source_tag);
  g_task_set_priority (task, G_PRIORITY_DEFAULT);

  request = g_new0 (Request, 1);
  request->client = g_object_ref (self);
  request->method = method;
  request->chat_id = g_strdup (chat_id);
  request->deadline = ga_http_deadline_new (cancellable, self->timeout_seconds,
                                            g_task_get_context (task));
  request->cancellable = ga_http_deadline_get_cancellable (request->deadline);
  g_task_set_task_data (task, request, (GDestroyNotify) request_free);

  request->uri = build_uri (self, ga_api_method_get_name (method), &error);
  if (request->uri == NULL)
    {
      request_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (method == METHOD_GET_AVATAR)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonGenerator) generator = json_generator_new ();
      g_autoptr(JsonNode) root = NULL;
      char *json;
      gsize json_length;

      if (chat_id[0] == '\0' ||
          strlen (chat_id) > MAX_CHAT_ID_LENGTH ||
          !g_utf8_validate (chat_id, -1, NULL))
        {
          request_return_error (task,
                                g_error_new_literal (GA_ERROR, GA_ERROR_INVALID_CHAT_ID,
                                                     _("The chat ID is not valid. Check the "
                                                       "phone number or chat ID and try "
                                                       "again.")));
          return;
        }

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "chatId");
      json_builder_add_string_value (builder, chat_id);
      json_builder_end_object (builder);
      root = json_builder_get_root (builder);
      json_generator_set_root (generator, root);
      json = json_generator_to_data (generator, &json_length);
      request->body = g_bytes_new_take (json, json_length);
    }
  else if (body != NULL)
    {
      request->body = g_bytes_ref (body);
    }

  g_ptr_array_add (self->requests, request->cancellable);

  start_attempt (task);
}

static void
ga_client_dispose (GObject *object)
{
  GaClient *self = (GaClient *)object;
  g_autoptr(GPtrArray) requests = NULL;

  /* Running calls hold a reference, so this only matters for g_object_run_dispose(). A
   * cancelled call may finish (and leave the list) at once, so cancel a copy of the list. */
  requests = g_ptr_array_copy (self->requests, (GCopyFunc) (void (*)(void)) g_object_ref, NULL);
  g_ptr_array_set_free_func (requests, g_object_unref);
  for (guint i = 0; i < requests->len; i++)
    g_cancellable_cancel (g_ptr_array_index (requests, i));

  G_OBJECT_CLASS (ga_client_parent_class)->dispose (object);
}

static void
ga_client_finalize (GObject *object)
{
  GaClient *self = (GaClient *)object;

  g_clear_object (&self->session);
  g_clear_pointer (&self->api_url, g_free);
  g_clear_pointer (&self->id_instance, g_free);
  if (self->token != NULL)
    memset (self->token, 0, strlen (self->token));
  g_clear_pointer (&self->token, g_free);
  g_clear_pointer (&self->requests, g_ptr_array_unref);
  g_clear_object (&self->limiter);
  g_clear_pointer (&self->limiter_key, g_free);

  G_OBJECT_CLASS (ga_client_parent_class)->finalize (object);
}

static void
ga_client_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  GaClient *self = GA_CLIENT (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      g_value_set_object (value, self->session);
      break;

    case PROP_API_URL:
      g_value_set_string (value, self->api_url);
      break;

    case PROP_ID_INSTANCE:
      g_value_set_string (value, self->id_instance);
      break;

    case PROP_MAX_RETRIES:
      g_value_set_uint (value, self->max_retries);
      break;

    case PROP_RETRY_DELAY_MS:
      g_value_set_uint (value, self->retry_delay_ms);
      break;

    case PROP_TIMEOUT_SECONDS:
      g_value_set_uint (value, self->timeout_seconds);
      break;

    case PROP_IMAGE_TIMEOUT_SECONDS:
      g_value_set_uint (value, self->image_timeout_seconds);
      break;

    case PROP_LIMITER:
      g_value_set_object (value, self->limiter);
      break;

    case PROP_PRIORITY:
      g_value_set_int (value, self->priority);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ga_client_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  GaClient *self = GA_CLIENT (object);

  switch (prop_id)
    {
    case PROP_SESSION:
      self->session = g_value_dup_object (value);
      break;

    case PROP_API_URL:
      self->api_url = g_value_dup_string (value);
      break;

    case PROP_ID_INSTANCE:
      self->id_instance = g_value_dup_string (value);
      break;

    case PROP_TOKEN:
      self->token = g_value_dup_string (value);
      break;

    case PROP_MAX_RETRIES:
      self->max_retries = g_value_get_uint (value);
      break;

    case PROP_RETRY_DELAY_MS:
      self->retry_delay_ms = g_value_get_uint (value);
      break;

    case PROP_TIMEOUT_SECONDS:
      self->timeout_seconds = g_value_get_uint (value);
      break;

    case PROP_IMAGE_TIMEOUT_SECONDS:
      self->image_timeout_seconds = g_value_get_uint (value);
      break;

    case PROP_LIMITER:
      self->limiter = g_value_dup_object (value);
      break;

    case PROP_PRIORITY:
      self->priority = g_value_get_int (value);
      break;

    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
ga_client_constructed (GObject *object)
{
  GaClient *self = GA_CLIENT (object);

  G_OBJECT_CLASS (ga_client_parent_class)->constructed (object);

  /* A client without a session still answers every call with an error, never crashes. */
  if (self->session == NULL)
    self->session = ga_http_session_new ();

  if (self->limiter == NULL)
    self->limiter = g_object_ref (ga_limiter_get_default ());
}

static void
ga_client_class_init (GaClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = ga_client_constructed;
  object_class->dispose = ga_client_dispose;
  object_class->finalize = ga_client_finalize;
  object_class->get_property = ga_client_get_property;
  object_class->set_property = ga_client_set_property;

  properties[PROP_SESSION] =
    g_param_spec_object ("session", NULL, NULL,
                         SOUP_TYPE_SESSION,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  properties[PROP_API_URL] =
    g_param_spec_string ("api-url", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  properties[PROP_ID_INSTANCE] =
    g_param_spec_string ("id-instance", NULL, NULL,
                         NULL,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  /* Write-only: the secret can be handed in, never read back out. */
  properties[PROP_TOKEN] =
    g_param_spec_string ("token", NULL, NULL,
                         NULL,
                         (G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  properties[PROP_MAX_RETRIES] =
    g_param_spec_uint ("max-retries", NULL, NULL,
                       0, 10, DEFAULT_MAX_RETRIES,
                       (G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_STATIC_STRINGS));

  properties[PROP_RETRY_DELAY_MS] =
    g_param_spec_uint ("retry-delay-ms", NULL, NULL,
                       0, MAX_RETRY_DELAY_MS, DEFAULT_RETRY_DELAY_MS,
                       (G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_STATIC_STRINGS));

  properties[PROP_TIMEOUT_SECONDS] =
    g_param_spec_uint ("timeout-seconds", NULL, NULL,
                       1, 600, DEFAULT_TIMEOUT_SECONDS,
                       (G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_STATIC_STRINGS));

  /**
   * GaClient:image-timeout-seconds:
   * The most the download of a picture that getAvatar pointed at may take, redirects
   * included. Not used by the client itself: ga_lookup_async() passes it on.
   */
  properties[PROP_IMAGE_TIMEOUT_SECONDS] =
    g_param_spec_uint ("image-timeout-seconds", NULL, NULL,
                       1, 600, DEFAULT_IMAGE_TIMEOUT_SECONDS,
                       (G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_STATIC_STRINGS));

  /**
   * GaClient:limiter:
   * The limiter that paces the requests; by default the process-wide one, which every
   * client shares. Tests hand in their own.
   */
  properties[PROP_LIMITER] =
    g_param_spec_object ("limiter", NULL, NULL,
                         GA_TYPE_LIMITER,
                         (G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS));

  /**
   * GaClient:priority:
   * A #GaRequestPriority: %GA_REQUEST_PRIORITY_INTERACTIVE (the default) for what a person
   * waits for; %GA_REQUEST_PRIORITY_BATCH for background work, which the limiter lets go
   * only when no interactive request of the same instance and method is waiting.
   */
  properties[PROP_PRIORITY] =
    g_param_spec_int ("priority", NULL, NULL,
                      GA_REQUEST_PRIORITY_BATCH, GA_REQUEST_PRIORITY_INTERACTIVE,
                      GA_REQUEST_PRIORITY_INTERACTIVE,
                      (G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_STATIC_STRINGS));

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
ga_client_init (GaClient *self)
{
  self->requests = g_ptr_array_new ();
}

/**
 * ga_client_new:
 * @session: the application's one #SoupSession
 * @api_url: the apiUrl from the console, optionally with a path
 * @id_instance: the idInstance (digits)
 * @token: the apiTokenInstance, a secret
 *
 * Makes a client. The settings are not checked here: every call checks them first, and
 * ga_client_check_settings() does so without a request. Besides these, the properties
 * "max-retries" (3), "retry-delay-ms" (the first backoff, 500, doubled each time),
 * "timeout-seconds" (a whole call, retries included, 45) and "image-timeout-seconds" (a
 * lookup's picture download, 60) can be set; past a timeout a call fails with
 * %GA_ERROR_TIMEOUT.
 *
 * Returns: (transfer full): a new #GaClient
 */
GaClient *
ga_client_new (SoupSession *session,
               const char  *api_url,
               const char  *id_instance,
               const char  *token)
{
  g_return_val_if_fail (SOUP_IS_SESSION (session), NULL);

  return g_object_new (GA_TYPE_CLIENT,
                       "session", session,
                       "api-url", api_url,
                       "id-instance", id_instance,
                       "token", token,
                       NULL);
}

SoupSession *
ga_client_get_session (GaClient *self)
{
  g_return_val_if_fail (GA_IS_CLIENT (self), NULL);

  return self->session;
}

const char *
ga_client_get_api_url (GaClient *self)
{
  g_return_val_if_fail (GA_IS_CLIENT (self), NULL);

  return self->api_url;
}

const char *
ga_client_get_id_instance (GaClient *self)
{
  g_return_val_if_fail (GA_IS_CLIENT (self), NULL);

  return self->id_instance;
}

guint
ga_client_get_image_timeout_seconds (GaClient *self)
{
  g_return_val_if_fail (GA_IS_CLIENT (self), DEFAULT_IMAGE_TIMEOUT_SECONDS);

  return self->image_timeout_seconds;
}

/**
 * ga_client_check_settings:
 * @self: a #GaClient
 * @error: return location for a #GError
 *
 * Checks api-url, id-instance and token with ga_settings_check(); a missing value is an
 * error here.
 *
 * Returns: %TRUE when a request can be made with these settings
 */
gboolean
ga_client_check_settings (GaClient  *self,
                          GError   **error)
{
  g_return_val_if_fail (GA_IS_CLIENT (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return ga_settings_check (self->api_url != NULL ? self->api_url : "",
                            self->id_instance != NULL ? self->id_instance : "",
                            self->token != NULL ? self->token : "",
                            error);
}

/**
 * ga_client_get_avatar_async:
 * @self: a #GaClient
 * @chat_id: a canonical chat ID
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the call finished
 * @user_data: data for @callback
 *
 * Calls getAvatar. 429 (honouring Retry-After), 502, one 500 and the transient "timeout
 * limit exceeded" answer are retried up to max-retries times, waiting retry-delay-ms and
 * doubling it each time; the whole call ends after timeout-seconds at the latest.
 */
void
ga_client_get_avatar_async (GaClient            *self,
                            const char          *chat_id,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_return_if_fail (GA_IS_CLIENT (self));
  g_return_if_fail (chat_id != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  start_request (self, METHOD_GET_AVATAR, chat_id, NULL, cancellable, callback, user_data,
                 ga_client_get_avatar_async);
}

/**
 * ga_client_get_avatar_finish:
 * @self: a #GaClient
 * @result: the #GAsyncResult
 * @error: return location for a #GError: a #GA_ERROR or %G_IO_ERROR_CANCELLED
 *
 * Returns: (transfer full): the avatar info, or %NULL with @error set
 */
GaAvatarInfo *
ga_client_get_avatar_finish (GaClient      *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (GA_IS_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == ga_client_get_avatar_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * ga_client_get_state_async:
 * @self: a #GaClient
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the call finished
 * @user_data: data for @callback
 *
 * Calls getStateInstance: the "test connection" call, which checks the API URL, the
 * instance ID and the token together. 429 and 502 are retried like for getAvatar.
 */
void
ga_client_get_state_async (GaClient            *self,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_return_if_fail (GA_IS_CLIENT (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  start_request (self, METHOD_GET_STATE, NULL, NULL, cancellable, callback, user_data,
                 ga_client_get_state_async);
}

/**
 * ga_client_get_state_finish:
 * @self: a #GaClient
 * @result: the #GAsyncResult
 * @state: (out) (optional): the instance state
 * @error: return location for a #GError
 *
 * Returns: %TRUE with @state set, or %FALSE with @error set
 */
gboolean
ga_client_get_state_finish (GaClient         *self,
                            GAsyncResult     *result,
                            GaInstanceState  *state,
                            GError          **error)
{
  g_autoptr(GError) local_error = NULL;
  gssize value;

  g_return_val_if_fail (GA_IS_CLIENT (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == ga_client_get_state_async,
                        FALSE);

  value = g_task_propagate_int (G_TASK (result), &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  if (state != NULL)
    *state = (GaInstanceState) value;

  return TRUE;
}

/* The methods beside getAvatar (issue 11): the same request path, limiter and error mapping;
 * only the body and the parser differ. */

/* A 466 says in `invokeStatus.description` what ran out; that is the message to show. */
static GError *
quota_error_with_description (GError     *error,
                              guint       status,
                              const char *data,
                              gsize       length)
{
  g_autofree char *description = NULL;

  if (status != 466 || !g_error_matches (error, GA_ERROR, GA_ERROR_QUOTA_EXCEEDED))
    return error;

  description = ga_json_dup_quota_description (data, length);
  if (description != NULL)
    {
      g_free (error->message);
      error->message = g_steal_pointer (&description);
    }

  return error;
}

static void
return_object (GTask    *task,
               gpointer  object,
               GError   *error)
{
  Request *request = g_task_get_task_data (task);

  if (object == NULL)
    {
      request_return_error (task, error);
      return;
    }

  request->finished = TRUE;
  request_teardown (request);
  g_task_return_pointer (task, object, g_object_unref);
}

static void
handle_other_body (GTask  *task,
                   GBytes *body)
{
  Request *request = g_task_get_task_data (task);
  GError *error = NULL;
  gpointer object = NULL;
  const char *data = NULL;
  gsize length = 0;

  if (body != NULL)
    data = g_bytes_get_data (body, &length);

  /* The parser runs first, then the result or its error is returned. */
  switch (request->method)
    {
    case GA_API_METHOD_GET_CONTACT_INFO:
      object = ga_contact_info_parse (data, length, request->chat_id, &error);
      return_object (task, object, error);
      break;

    case GA_API_METHOD_GET_GROUP_DATA:
      object = ga_group_data_parse (data, length, request->chat_id, &error);
      return_object (task, object, error);
      break;

    case GA_API_METHOD_GET_WA_SETTINGS:
      object = ga_account_parse_wa_settings (data, length, &error);
      return_object (task, object, error);
      break;

    case GA_API_METHOD_GET_SETTINGS:
      object = ga_account_parse_settings (data, length, &error);
      return_object (task, object, error);
      break;

    case GA_API_METHOD_CHECK_WHATSAPP:
      {
        gboolean exists = FALSE;

        if (!ga_contact_parse_check_whatsapp (data, length, &exists, &error))
          {
            request_return_error (task, error);
            return;
          }
        request->finished = TRUE;
        request_teardown (request);
        g_task_return_int (task, exists ? 1 : 0);
      }
      break;

    case GA_API_METHOD_GET_CONTACTS:
      /* Parsed off the main thread by the caller (ga_contact_list_update_async()). */
      request->finished = TRUE;
      request_teardown (request);
      g_task_return_pointer (task,
                             body != NULL ? g_bytes_ref (body) : g_bytes_new (NULL, 0),
                             (GDestroyNotify) g_bytes_unref);
      break;

    case GA_API_METHOD_GET_AVATAR:
    case GA_API_METHOD_GET_STATE_INSTANCE:
    default:
      g_assert_not_reached ();
    }
}

static GBytes *
json_body (const char *member,
           const char *string_value,
           gint64      int_value)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  char *json;
  gsize json_length;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, member);
  if (string_value != NULL)
    json_builder_add_string_value (builder, string_value);
  else
    json_builder_add_int_value (builder, int_value);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json = json_generator_to_data (generator, &json_length);

  return g_bytes_new_take (json, json_length);
}

static gboolean
chat_id_is_sendable (const char *chat_id)
{
  return chat_id != NULL && chat_id[0] != '\0' && strlen (chat_id) <= MAX_CHAT_ID_LENGTH &&
         g_utf8_validate (chat_id, -1, NULL);
}

static void
return_invalid_chat_id (GaClient            *self,
                        GAsyncReadyCallback  callback,
                        gpointer             user_data,
                        gpointer             source_tag)
{
  g_autoptr(GTask) task = g_task_new (self, NULL, callback, user_data);

  g_task_set_source_tag (task, source_tag);
  g_task_return_new_error (task, GA_ERROR, GA_ERROR_INVALID_CHAT_ID, "%s",
                           _("The chat ID is not valid. Check the phone number or chat ID and "
                             "try again."));
}

static gpointer
finish_pointer (GaClient      *self,
                GAsyncResult  *result,
                gpointer       source_tag,
                GError       **error)
{
  g_return_val_if_fail (GA_IS_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * ga_client_get_contact_info_async:
 * @self: a #GaClient
 * @chat_id: a canonical personal chat ID, e.g. `79001234567@c.us`
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the call finished
 * @user_data: data for @callback
 *
 * Calls getContactInfo (1 request/s per instance; can take seconds for business numbers).
 * Retries, deadline and errors as for ga_client_get_avatar_async().
 */
void
ga_client_get_contact_info_async (GaClient            *self,
                                  const char          *chat_id,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GBytes) body = NULL;

  g_return_if_fail (GA_IS_CLIENT (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  if (!chat_id_is_sendable (chat_id))
    {
      return_invalid_chat_id (self, callback, user_data, ga_client_get_contact_info_async);
      return;
    }

  body = json_body ("chatId", chat_id, 0);
  start_request (self, GA_API_METHOD_GET_CONTACT_INFO, chat_id, body, cancellable, callback,
                 user_data, ga_client_get_contact_info_async);
}

/**
 * ga_client_get_contact_info_finish:
 * @self: a #GaClient
 * @result: the #GAsyncResult
 * @error: return location for a #GError: a #GA_ERROR or %G_IO_ERROR_CANCELLED
 *
 * Returns: (transfer full): the contact info, or %NULL with @error set
 */
GaContactInfo *
ga_client_get_contact_info_finish (GaClient      *self,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  return finish_pointer (self, result, ga_client_get_contact_info_async, error);
}

/**
 * ga_client_get_group_data_async:
 * @self: a #GaClient
 * @group_id: a group chat ID, e.g. `120363043968066561@g.us`
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the call finished
 * @user_data: data for @callback
 *
 * Calls getGroupData (1 request/s per instance).
 */
void
ga_client_get_group_data_async (GaClient            *self,
                                const char          *group_id,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GBytes) body = NULL;

  g_return_if_fail (GA_IS_CLIENT (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  if (!chat_id_is_sendable (group_id))
    {
      return_invalid_chat_id (self, callback, user_data, ga_client_get_group_data_async);
      return;
    }

  body = json_body ("groupId", group_id, 0);
  start_request (self, GA_API_METHOD_GET_GROUP_DATA, group_id, body, cancellable, callback,
                 user_data, ga_client_get_group_data_async);
}

/**
 * ga_client_get_group_data_finish:
 * @self: a #GaClient
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the group data, or %NULL with @error set
 */
GaGroupData *
ga_client_get_group_data_finish (GaClient      *self,
                                 GAsyncResult  *result,
                                 GError       **error)
{
  return finish_pointer (self, result, ga_client_get_group_data_async, error);
}

/**
 * ga_client_get_contacts_async:
 * @self: a #GaClient
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the call finished
 * @user_data: data for @callback
 *
 * Calls getContacts (1 request/s per instance). The answer can be about 1 MB for 10,000
 * contacts, so it is capped at %GA_CLIENT_MAX_CONTACTS_SIZE instead of the usual cap, and
 * handed back unparsed: give it to ga_contact_list_update_async(), which parses it off the
 * main thread.
 */
void
ga_client_get_contacts_async (GaClient            *self,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_return_if_fail (GA_IS_CLIENT (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  start_request (self, GA_API_METHOD_GET_CONTACTS, NULL, NULL, cancellable, callback,
                 user_data, ga_client_get_contacts_async);
}

/**
 * ga_client_get_contacts_finish:
 * @self: a #GaClient
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the body of the HTTP 200 answer, or %NULL with @error set
 */
GBytes *
ga_client_get_contacts_finish (GaClient      *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  return finish_pointer (self, result, ga_client_get_contacts_async, error);
}

/* Digits of a phone number, or of the personal chat ID it is part of ("79001234567@c.us"),
 * as the integer checkWhatsapp wants; -1 when it is not 1 to 16 digits. */
static gint64
phone_number_value (const char *phone_number)
{
  gsize n = 0;
  gint64 value = 0;

  if (phone_number == NULL)
    return -1;

  for (; g_ascii_isdigit (phone_number[n]); n++)
    {
      if (n >= 16)
        return -1;
      value = value * 10 + (phone_number[n] - '0');
    }

  if (n == 0 || (phone_number[n] != '\0' && strcmp (phone_number + n, "@c.us") != 0))
    return -1;

  return value;
}

/**
 * ga_client_check_whatsapp_async:
 * @self: a #GaClient
 * @phone_number: the number with its country code, digits only (`79001234567`), or its
 *   personal chat ID (`79001234567@c.us`)
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the call finished
 * @user_data: data for @callback
 *
 * Calls checkWhatsapp, the one method that settles "no account" versus "no picture". Each
 * call counts against a monthly quota (100 on the free plan): over it, the call fails with
 * %GA_ERROR_QUOTA_EXCEEDED, whose message is the server's own description, and is never
 * retried.
 */
void
ga_client_check_whatsapp_async (GaClient            *self,
                                const char          *phone_number,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GBytes) body = NULL;
  gint64 value;

  g_return_if_fail (GA_IS_CLIENT (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  value = phone_number_value (phone_number);
  if (value < 0)
    {
      return_invalid_chat_id (self, callback, user_data, ga_client_check_whatsapp_async);
      return;
    }

  /* An integer, not a string: the API refuses a quoted number. */
  body = json_body ("phoneNumber", NULL, value);
  start_request (self, GA_API_METHOD_CHECK_WHATSAPP, NULL, body, cancellable, callback,
                 user_data, ga_client_check_whatsapp_async);
}

/**
 * ga_client_check_whatsapp_finish:
 * @self: a #GaClient
 * @result: the #GAsyncResult
 * @exists: (out) (optional): whether the number has a WhatsApp account
 * @error: return location for a #GError
 *
 * Returns: %TRUE with @exists set, or %FALSE with @error set
 */
gboolean
ga_client_check_whatsapp_finish (GaClient      *self,
                                 GAsyncResult  *result,
                                 gboolean      *exists,
                                 GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  gssize value;

  g_return_val_if_fail (GA_IS_CLIENT (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) ==
                        ga_client_check_whatsapp_async, FALSE);

  value = g_task_propagate_int (G_TASK (result), &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  if (exists != NULL)
    *exists = value != 0;

  return TRUE;
}

/**
 * ga_client_get_wa_settings_async:
 * @self: a #GaClient
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the call finished
 * @user_data: data for @callback
 *
 * Calls getWaSettings: the linked account's phone, picture URL, state and device.
 */
void
ga_client_get_wa_settings_async (GaClient            *self,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_return_if_fail (GA_IS_CLIENT (self));

  start_request (self, GA_API_METHOD_GET_WA_SETTINGS, NULL, NULL, cancellable, callback,
                 user_data, ga_client_get_wa_settings_async);
}

/**
 * ga_client_get_wa_settings_finish:
 * @self: a #GaClient
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the account, or %NULL with @error set
 */
GaAccount *
ga_client_get_wa_settings_finish (GaClient      *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  return finish_pointer (self, result, ga_client_get_wa_settings_async, error);
}

/**
 * ga_client_get_settings_async:
 * @self: a #GaClient
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the call finished
 * @user_data: data for @callback
 *
 * Calls getSettings, for the account's own chat ID (`wid`) only.
 */
void
ga_client_get_settings_async (GaClient            *self,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_return_if_fail (GA_IS_CLIENT (self));

  start_request (self, GA_API_METHOD_GET_SETTINGS, NULL, NULL, cancellable, callback,
                 user_data, ga_client_get_settings_async);
}

/**
 * ga_client_get_settings_finish:
 * @self: a #GaClient
 * @result: the #GAsyncResult
 * @error: return location for a #GError
 *
 * Returns: (transfer full): the account (only its chat ID is set), or %NULL with @error set
 */
GaAccount *
ga_client_get_settings_finish (GaClient      *self,
                               GAsyncResult  *result,
                               GError       **error)
{
  return finish_pointer (self, result, ga_client_get_settings_async, error);
}
