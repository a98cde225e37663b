/* SPDX-License-Identifier: GPL-3.0-or-later */

/* libFuzzer harness for ga_chat_id_parse(): any bytes a person might type or paste. */

#define G_LOG_DOMAIN "fuzz-chat-id"

#include "config.h"

#include "ga-chat-id.h"

#include <string.h>

#include "fuzz-common.h"

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  fuzz_init ();
  return 0;
}

static gboolean
has_known_suffix (const char *id,
                  GaChatKind  kind)
{
  switch (kind)
    {
    case GA_CHAT_KIND_PERSONAL:
      return g_str_has_suffix (id, "@c.us");
    case GA_CHAT_KIND_GROUP:
      return g_str_has_suffix (id, "@g.us");
    case GA_CHAT_KIND_LID:
      return g_str_has_suffix (id, "@lid");
    default:
      return FALSE;
    }
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autofree char *input = g_strndup ((const char *) data, size);
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  GaChatKind kind = (GaChatKind) -1;

  id = ga_chat_id_parse (input, &kind, &error);

  if (id == NULL)
    {
      /* A refusal always says why, in the chat ID domain. */
      fuzz_assert (error != NULL);
      fuzz_assert (error->domain == GA_CHAT_ID_ERROR);
      fuzz_assert (error->message != NULL && error->message[0] != '\0');
      fuzz_assert (g_utf8_validate (error->message, -1, NULL));
      return 0;
    }

  fuzz_assert (error == NULL);

  /* A canonical id is short printable ASCII with the suffix of its kind... */
  fuzz_assert (strlen (id) <= GA_CHAT_ID_MAX_INPUT);
  for (const char *p = id; *p != '\0'; p++)
    fuzz_assert (g_ascii_isdigit (*p) || strchr ("@.-cusglid", *p) != NULL);
  fuzz_assert (has_known_suffix (id, kind));

  /* ...and a fixed point: parsing it again gives the same id and kind. */
  {
    g_autoptr(GError) again_error = NULL;
    g_autofree char *again = NULL;
    GaChatKind again_kind = (GaChatKind) -1;

    again = ga_chat_id_parse (id, &again_kind, &again_error);
    fuzz_assert (again != NULL);
    fuzz_assert (strcmp (again, id) == 0);
    fuzz_assert (again_kind == kind);
  }

  return 0;
}
