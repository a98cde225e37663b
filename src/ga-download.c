/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "ga-download"

#include "config.h"

#include "ga-download.h"

#include "ga-error.h"
#include "ga-http.h"

#include <glib/gi18n.h>

/*
 * Downloading the picture behind a signed avatar URL.
 *
 * Redirects are followed here, not by libsoup (SOUP_MESSAGE_NO_REDIRECT): every Location is
 * resolved and checked with ga_http_uri_is_allowed() before anything is sent to it, so a
 * redirect from https to plain http on another host is refused, and at most
 * MAX_REDIRECTS hops are taken (a loop ends in an error).
 *
 * Content-Type: any image type is accepted, and so are application/octet-stream,
 * binary/octet-stream and a missing type, which some CDNs send for pictures; the decoder
 * sniffs the real format from the data and refuses what is no picture. Any other type
 * (text/html from a captive portal or an error page, JSON, …) is refused before the body is
 * read.
 *
 * The signed URL's query is a credential of sorts (its signature): only the host is ever
 * logged.
 *
 * The whole download, redirects included, has a deadline of its own, like a GaClient call
 * (a #GaHttpDeadline, as there): the session's I/O timeout restarts on every read, so a host that
 * sends one byte a second would otherwise keep the lookup going until the size cap. The
 * deadline works by cancelling; whatever fails after it fired is reported as
 * %GA_ERROR_TIMEOUT.
 */

#define MAX_REDIRECTS 5

typedef struct
{
  SoupSession  *session;     /* (owned) */
  GUri         *uri;         /* (owned) the address being fetched, after redirects */
  GaHttpReply  *reply;       /* (owned) (nullable) the latest answer */
  guint         n_redirects;
  guint         timeout_seconds;

  /* Its cancellable, which the caller's cancellable and the deadline cancel, is what every
   * step uses. */
  GaHttpDeadline *deadline;   /* (owned) */
  GCancellable   *cancellable; /* (unowned): the deadline's */
} DownloadData;

static void
download_data_free (DownloadData *data)
{
  g_clear_pointer (&data->deadline, ga_http_deadline_free);
  g_clear_object (&data->session);
  g_clear_pointer (&data->uri, g_uri_unref);
  g_clear_pointer (&data->reply, ga_http_reply_free);
  g_free (data);
}

static void send_request (GTask *task);

static gboolean
is_web_scheme (GUri *uri)
{
  const char *scheme = g_uri_get_scheme (uri);

  return g_ascii_strcasecmp (scheme, "https") == 0 || g_ascii_strcasecmp (scheme, "http") == 0;
}

static gboolean
check_uri (GUri    *uri,
           GError **error)
{
  if (!is_web_scheme (uri) || g_uri_get_host (uri) == NULL || g_uri_get_host (uri)[0] == '\0')
    {
      g_set_error_literal (error, GA_ERROR, GA_ERROR_IMAGE_DOWNLOAD,
                           _("The picture's address is not a valid web address, so it was not "
                             "downloaded."));
      return FALSE;
    }

  if (!ga_http_uri_is_allowed (uri))
    {
      g_set_error_literal (error, GA_ERROR, GA_ERROR_INSECURE_URL,
                           _("The picture's address is not secure (https), so it was not "
                             "downloaded."));
      return FALSE;
    }

  return TRUE;
}

static gboolean
is_accepted_content_type (const char *content_type)
{
  /* No type at all: the decoder sniffs the data. */
  if (content_type == NULL)
    return TRUE;

  return g_ascii_strncasecmp (content_type, "image/", strlen ("image/")) == 0 ||
         g_ascii_strcasecmp (content_type, "application/octet-stream") == 0 ||
         g_ascii_strcasecmp (content_type, "binary/octet-stream") == 0;
}

static GError *
too_large_error (void)
{
  return g_error_new (GA_ERROR, GA_ERROR_TOO_LARGE,
                      _("The picture is larger than %u MB, so it was not downloaded."),
                      (guint) (GA_IMAGE_MAX_BYTES / (1024 * 1024)));
}

/* Errors from libsoup and GIO become errors for people; ours pass through unchanged. */
static GError *
map_transport_error (const GError *error)
{
  if (error->domain == GA_ERROR)
    return g_error_copy (error);

  return ga_http_error_from_gerror (error);
}

/* Every error of a download that was started leaves through here. */
static void
return_error (GTask  *task,
              GError *error)
{
  DownloadData *data = g_task_get_task_data (task);

  ga_http_deadline_stop (data->deadline);

  /* The deadline works by cancelling, so whatever failed after it fired failed because of
   * it; the caller's own cancel still wins (GTask reports it in any case). */
  if (ga_http_deadline_has_expired (data->deadline))
    {
      g_debug ("The picture from %s took longer than %u s; giving up",
               g_uri_get_host (data->uri), data->timeout_seconds);
      g_error_free (error);
      error = g_error_new (GA_ERROR, GA_ERROR_TIMEOUT,
                           ngettext ("The picture did not arrive within %u second. Check your "
                                     "internet connection, then try again.",
                                     "The picture did not arrive within %u seconds. Check your "
                                     "internet connection, then try again.",
                                     data->timeout_seconds),
                           data->timeout_seconds);
    }

  g_task_return_error (task, error);
}

static void
return_new_error (GTask      *task,
                  GaError     code,
                  const char *format,
                  ...) G_GNUC_PRINTF (3, 4);

static void
return_new_error (GTask      *task,
                  GaError     code,
                  const char *format,
                  ...)
{
  va_list args;
  GError *error;

  va_start (args, format);
  error = g_error_new_valist (GA_ERROR, code, format, args);
  va_end (args);

  return_error (task, error);
}

/* Sends the next request, or gives @task an error. */
static void
follow_redirect (GTask *task)
{
  DownloadData *data = g_task_get_task_data (task);
  SoupMessageHeaders *headers = ga_http_reply_get_headers (data->reply);
  const char *location = soup_message_headers_get_one (headers, "Location");
  g_autoptr(GUri) next = NULL;
  g_autoptr(GError) error = NULL;

  if (location == NULL || location[0] == '\0')
    {
      return_new_error (task, GA_ERROR_IMAGE_DOWNLOAD,
                        _("The picture could not be downloaded (HTTP %u). Try again."),
                        ga_http_reply_get_status (data->reply));
      return;
    }

  if (++data->n_redirects > MAX_REDIRECTS)
    {
      return_new_error (task, GA_ERROR_IMAGE_DOWNLOAD,
                        _("The picture could not be downloaded: its address redirects "
                          "too many times. Try again later."));
      return;
    }

  next = g_uri_parse_relative (data->uri, location, SOUP_HTTP_URI_FLAGS, NULL);
  if (next == NULL)
    {
      return_new_error (task, GA_ERROR_IMAGE_DOWNLOAD,
                        _("The picture could not be downloaded: the server sent an "
                          "invalid address. Try again later."));
      return;
    }

  if (!check_uri (next, &error))
    {
      return_error (task, g_steal_pointer (&error));
      return;
    }

  /* A secure address must not send us to a plain one, not even on this machine: that would
   * let a remote server make the app knock on local services. */
  if (g_ascii_strcasecmp (g_uri_get_scheme (data->uri), "https") == 0 &&
      g_ascii_strcasecmp (g_uri_get_scheme (next), "https") != 0)
    {
      return_new_error (task, GA_ERROR_INSECURE_URL,
                        _("The picture's address redirects to an address that is not "
                          "secure (https), so it was not downloaded."));
      return;
    }

  g_debug ("Picture redirected from %s to %s", g_uri_get_host (data->uri), g_uri_get_host (next));

  g_clear_pointer (&data->uri, g_uri_unref);
  data->uri = g_steal_pointer (&next);
  send_request (g_object_ref (task));
}

static gboolean
is_followed_redirect (guint status)
{
  return status == SOUP_STATUS_MOVED_PERMANENTLY ||
         status == SOUP_STATUS_FOUND ||
         status == SOUP_STATUS_SEE_OTHER ||
         status == SOUP_STATUS_TEMPORARY_REDIRECT ||
         status == SOUP_STATUS_PERMANENT_REDIRECT;
}

static gboolean
is_too_large (SoupMessageHeaders *headers)
{
  return soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH &&
         soup_message_headers_get_content_length (headers) > GA_IMAGE_MAX_BYTES;
}

/* In the network thread: only a picture's body is read; any other is dropped unread (see
 * exchange_cb() for what each answer means). */
static gboolean
wants_body (guint               status,
            SoupMessageHeaders *headers)
{
  return SOUP_STATUS_IS_SUCCESSFUL (status) &&
         is_accepted_content_type (soup_message_headers_get_content_type (headers, NULL)) &&
         !is_too_large (headers);
}

static void
exchange_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  DownloadData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  SoupMessageHeaders *headers;
  const GError *body_error;
  GBytes *bytes;
  guint status;

  g_clear_pointer (&data->reply, ga_http_reply_free);
  data->reply = ga_http_exchange_finish (result, &error);
  if (data->reply == NULL)
    {
      return_error (task, map_transport_error (error));
      return;
    }

  status = ga_http_reply_get_status (data->reply);
  headers = ga_http_reply_get_headers (data->reply);

  g_debug ("Picture request to %s answered HTTP %u", g_uri_get_host (data->uri), status);

  if (is_followed_redirect (status))
    {
      follow_redirect (task);
      return;
    }

  if (status == SOUP_STATUS_FORBIDDEN)
    {
      return_new_error (task, GA_ERROR_IMAGE_EXPIRED,
                        _("The picture's link has expired. Look the chat up again to "
                          "get a fresh one."));
      return;
    }

  if (!SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      return_new_error (task, GA_ERROR_IMAGE_DOWNLOAD,
                        _("The picture could not be downloaded (HTTP %u). Try again."),
                        status);
      return;
    }

  if (!is_accepted_content_type (soup_message_headers_get_content_type (headers, NULL)))
    {
      return_new_error (task, GA_ERROR_IMAGE_INVALID,
                        _("The picture's address did not return a picture. Try again "
                          "later."));
      return;
    }

  if (is_too_large (headers))
    {
      return_error (task, too_large_error ());
      return;
    }

  body_error = ga_http_reply_get_body_error (data->reply);
  if (body_error != NULL)
    {
      if (g_error_matches (body_error, GA_ERROR, GA_ERROR_TOO_LARGE))
        return_error (task, too_large_error ());
      else
        return_error (task, map_transport_error (body_error));
      return;
    }

  bytes = ga_http_reply_get_body (data->reply);
  g_debug ("Downloaded %" G_GSIZE_FORMAT " bytes from %s",
           g_bytes_get_size (bytes), g_uri_get_host (data->uri));

  ga_http_deadline_stop (data->deadline);
  g_task_return_pointer (task, g_bytes_ref (bytes), (GDestroyNotify) g_bytes_unref);
}

/* Takes over the caller's reference on @task. The request is sent, and a picture's body
 * read, in the network thread (ga-http.c). */
static void
send_request (GTask *task)
{
  DownloadData *data = g_task_get_task_data (task);

  g_debug ("Downloading a picture from %s", g_uri_get_host (data->uri));

  ga_http_exchange_async (data->session,
                          SOUP_METHOD_GET,
                          data->uri,
                          SOUP_MESSAGE_NO_REDIRECT,
                          "image/*",
                          NULL,
                          NULL,
                          GA_IMAGE_MAX_BYTES,
                          wants_body,
                          data->cancellable,
                          exchange_cb,
                          task);
}

/**
 * ga_download_async:
 * @session: the application's #SoupSession
 * @url: the picture's address: `https://`, or `http://` to a loopback host only
 * @timeout_seconds: the most the whole download may take, redirects included; more than 0
 * @cancellable: (nullable): a #GCancellable
 * @callback: called when the download finished
 * @user_data: data for @callback
 *
 * GETs @url, following at most five redirects itself and checking every address before
 * sending anything to it. A 403 fails with %GA_ERROR_IMAGE_EXPIRED (the signed URL expired),
 * any other error status with %GA_ERROR_IMAGE_DOWNLOAD, a body that is not a picture with
 * %GA_ERROR_IMAGE_INVALID and a body over %GA_IMAGE_MAX_BYTES with %GA_ERROR_TOO_LARGE
 * (refused from its Content-Length before reading, or as soon as too much arrived).
 * An address that is neither https nor loopback http fails with %GA_ERROR_INSECURE_URL
 * without any request. A download still running after @timeout_seconds, however slowly the
 * data keeps coming, fails with %GA_ERROR_TIMEOUT.
 */
void
ga_download_async (SoupSession         *session,
                   const char          *url,
                   guint                timeout_seconds,
                   GCancellable        *cancellable,
                   GAsyncReadyCallback  callback,
                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GUri) uri = NULL;
  DownloadData *data;

  g_return_if_fail (SOUP_IS_SESSION (session));
  g_return_if_fail (url != NULL);
  g_return_if_fail (timeout_seconds > 0);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, ga_download_async);

  uri = g_uri_parse (url, SOUP_HTTP_URI_FLAGS, NULL);
  if (uri == NULL)
    {
      g_task_return_new_error (task, GA_ERROR, GA_ERROR_IMAGE_DOWNLOAD,
                               _("The picture's address is not a valid web address, so it was "
                                 "not downloaded."));
      return;
    }

  if (!check_uri (uri, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  data = g_new0 (DownloadData, 1);
  data->session = g_object_ref (session);
  data->uri = g_steal_pointer (&uri);
  data->timeout_seconds = timeout_seconds;
  /* Already cancelled by the caller: nothing is sent at all. */
  data->deadline = ga_http_deadline_new (cancellable, timeout_seconds, g_task_get_context (task));
  data->cancellable = ga_http_deadline_get_cancellable (data->deadline);
  g_task_set_task_data (task, data, (GDestroyNotify) download_data_free);

  send_request (g_steal_pointer (&task));
}

/**
 * ga_download_finish:
 * @result: the #GAsyncResult given to the callback
 * @error: a #GA_ERROR, or %G_IO_ERROR_CANCELLED
 *
 * Returns: (transfer full) (nullable): the encoded picture, not yet checked to be one
 */
GBytes *
ga_download_finish (GAsyncResult  *result,
                    GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == ga_download_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
