/* SPDX-License-Identifier: GPL-3.0-or-later */

/* libFuzzer harness for the getGroupData answer parser. */

#define G_LOG_DOMAIN "fuzz-group-data"

#include "config.h"

#include "ga-error.h"
#include "ga-group-data.h"
#include "ga-json.h"

#include "fuzz-common.h"

#include <string.h>

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  fuzz_init ();
  return 0;
}

static void
check_string (const char *text)
{
  if (text == NULL)
    return;
  fuzz_assert (strlen (text) <= GA_JSON_MAX_STRING);
  fuzz_assert (g_utf8_validate (text, -1, NULL));
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autofree char *body = g_memdup2 (data, size);
  g_autoptr(GError) error = NULL;
  g_autoptr(GaGroupData) group = NULL;
  guint n;

  group = ga_group_data_parse (body, size, NULL, &error);
  if (group == NULL)
    {
      fuzz_assert (error != NULL && error->domain == GA_ERROR);
      fuzz_assert (g_utf8_validate (error->message, -1, NULL));
      return 0;
    }

  check_string (ga_group_data_get_group_id (group));
  check_string (ga_group_data_get_owner (group));
  check_string (ga_group_data_get_subject (group));
  check_string (ga_group_data_get_subject_owner (group));
  check_string (ga_group_data_get_invite_link (group));
  n = ga_group_data_get_n_participants (group);
  fuzz_assert (n <= 10000);
  for (guint i = 0; i < n; i++)
    {
      const char *id = ga_group_data_get_participant (group, i, NULL, NULL);

      fuzz_assert (id != NULL);
      check_string (id);
    }

  return 0;
}
