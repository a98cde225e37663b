/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define GA_ERROR (ga_error_quark ())

/**
 * GaError:
 * @GA_ERROR_INVALID_CHAT_ID: the server rejected the chat ID (HTTP 400 "Validation failed",
 *   or the older `reason: "bad request data"`)
 * @GA_ERROR_NOT_AUTHORIZED: the instance is not linked to a phone (scan the QR code); also
 *   for "instance is starting or not authorized", where the server cannot tell which, with a
 *   message that names both
 * @GA_ERROR_STARTING: the instance is starting; try again shortly
 * @GA_ERROR_EXPIRED: the instance's account has expired or the instance was deleted
 * @GA_ERROR_WRONG_TOKEN: HTTP 401, or HTTP 200 with `{"code": 401}`
 * @GA_ERROR_WRONG_INSTANCE: HTTP 403 from the API: wrong idInstance or API URL
 * @GA_ERROR_WRONG_METHOD: HTTP 404/405: a bug in the client or a wrong API URL path
 * @GA_ERROR_RATE_LIMITED: HTTP 429 after the automatic retries ran out
 * @GA_ERROR_QUOTA_EXCEEDED: HTTP 466: the free plan's monthly quota is used up
 * @GA_ERROR_SERVER: HTTP 5xx (other than 502) after the retry
 * @GA_ERROR_UPSTREAM_UNAVAILABLE: HTTP 502 after the retries, or a transient server-side timeout
 * @GA_ERROR_HTTP: any other unexpected HTTP status
 * @GA_ERROR_NETWORK: the host could not be reached (DNS, refused, reset, offline)
 * @GA_ERROR_TIMEOUT: the server did not answer in time
 * @GA_ERROR_TLS: the TLS certificate did not verify, or the TLS handshake failed
 * @GA_ERROR_MALFORMED_RESPONSE: the server's answer could not be understood
 * @GA_ERROR_TOO_LARGE: a response body was larger than the client accepts
 * @GA_ERROR_INVALID_SETTINGS: API URL, instance ID or token are missing or malformed
 * @GA_ERROR_INSECURE_URL: a URL is plain `http://` to a host that is not loopback
 * @GA_ERROR_IMAGE_EXPIRED: the image host answered 403 to the signed URL (expired)
 * @GA_ERROR_IMAGE_DOWNLOAD: the image host answered another HTTP error
 * @GA_ERROR_IMAGE_TOO_LARGE: the image's width or height is over the limit
 * @GA_ERROR_IMAGE_INVALID: the data is not an image that can be decoded
 *
 * Errors of Green Avatar's core. Every message is written for a person: it says what went
 * wrong and what to do, carries the server's own detail where there is one, and never
 * contains the API token.
 */
typedef enum
{
  GA_ERROR_INVALID_CHAT_ID,
  GA_ERROR_NOT_AUTHORIZED,
  GA_ERROR_STARTING,
  GA_ERROR_EXPIRED,
  GA_ERROR_WRONG_TOKEN,
  GA_ERROR_WRONG_INSTANCE,
  GA_ERROR_WRONG_METHOD,
  GA_ERROR_RATE_LIMITED,
  GA_ERROR_QUOTA_EXCEEDED,
  GA_ERROR_SERVER,
  GA_ERROR_UPSTREAM_UNAVAILABLE,
  GA_ERROR_HTTP,
  GA_ERROR_NETWORK,
  GA_ERROR_TIMEOUT,
  GA_ERROR_TLS,
  GA_ERROR_MALFORMED_RESPONSE,
  GA_ERROR_TOO_LARGE,
  GA_ERROR_INVALID_SETTINGS,
  GA_ERROR_INSECURE_URL,
  GA_ERROR_IMAGE_EXPIRED,
  GA_ERROR_IMAGE_DOWNLOAD,
  GA_ERROR_IMAGE_TOO_LARGE,
  GA_ERROR_IMAGE_INVALID,
} GaError;

GQuark ga_error_quark (void);

G_END_DECLS
