/* SPDX-License-Identifier: GPL-3.0-or-later */

/* libFuzzer harness for ga_response_error_from_status(): the first two bytes pick the HTTP
 * status (100-599), the third the Content-Type, the rest is the body. */

#define G_LOG_DOMAIN "fuzz-error-body"

#include "config.h"

#include "ga-error.h"
#include "ga-response.h"

#include <string.h>

#include "fuzz-common.h"

/* Generous: the message is a sentence plus the server's capped detail. */
#define MAX_MESSAGE_LENGTH 4096

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  fuzz_init ();
  return 0;
}

static const char * const content_types[] = {
  NULL,
  "application/json",
  "application/json; charset=utf-8",
  "text/plain",
  "text/plain; charset=utf-8",
  "text/html",
  "",
  "application/octet-stream",
};

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *body = NULL;
  const char *content_type;
  guint status;

  if (size < 3)
    return 0;

  status = 100 + ((data[0] << 8) | data[1]) % 500;
  content_type = content_types[data[2] % G_N_ELEMENTS (content_types)];
  /* A copy of exactly the body's bytes, so ASan sees any read past the end. */
  body = g_memdup2 (data + 3, size - 3);

  error = ga_response_error_from_status (status, content_type, body, size - 3);

  fuzz_assert (error != NULL);
  fuzz_assert (error->domain == GA_ERROR);
  fuzz_assert (error->message != NULL && error->message[0] != '\0');
  fuzz_assert (g_utf8_validate (error->message, -1, NULL));
  fuzz_assert (strlen (error->message) < MAX_MESSAGE_LENGTH);

  /* The NULL-body form must behave too. */
  {
    g_autoptr(GError) empty = ga_response_error_from_status (status, content_type, NULL, 0);

    fuzz_assert (empty != NULL && empty->domain == GA_ERROR);
  }

  return 0;
}
