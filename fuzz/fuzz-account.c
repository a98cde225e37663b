/* SPDX-License-Identifier: GPL-3.0-or-later */

/* libFuzzer harness for the getWaSettings, getSettings and checkWhatsapp answer parsers and
 * the 466 quota description. */

#define G_LOG_DOMAIN "fuzz-account"

#include "config.h"

#include "ga-account.h"
#include "ga-contact.h"
#include "ga-error.h"
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
  fuzz_assert (strlen (text) <= GA_JSON_MAX_STRING + 8);
  fuzz_assert (g_utf8_validate (text, -1, NULL));
}

static void
check_account (GaAccount *account,
               GError    *error)
{
  if (account == NULL)
    {
      fuzz_assert (error != NULL && error->domain == GA_ERROR);
      return;
    }

  fuzz_assert (error == NULL);
  check_string (ga_account_get_chat_id (account));
  check_string (ga_account_get_phone (account));
  check_string (ga_account_get_avatar_url (account));
  check_string (ga_account_get_device_id (account));
  fuzz_assert (ga_account_get_state (account) <= GA_INSTANCE_STATE_YELLOW_CARD);
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autofree char *body = g_memdup2 (data, size);
  g_autoptr(GError) e1 = NULL;
  g_autoptr(GError) e2 = NULL;
  g_autoptr(GError) e3 = NULL;
  g_autoptr(GaAccount) wa = NULL;
  g_autoptr(GaAccount) settings = NULL;
  g_autofree char *description = NULL;
  gboolean exists = TRUE;

  wa = ga_account_parse_wa_settings (body, size, &e1);
  check_account (wa, e1);
  settings = ga_account_parse_settings (body, size, &e2);
  check_account (settings, e2);

  if (ga_contact_parse_check_whatsapp (body, size, &exists, &e3))
    fuzz_assert (e3 == NULL);
  else
    fuzz_assert (e3 != NULL && !exists);

  description = ga_json_dup_quota_description (body, size);
  if (description != NULL)
    {
      fuzz_assert (g_utf8_validate (description, -1, NULL));
      fuzz_assert (g_utf8_strlen (description, -1) <= 300);
      for (const char *p = description; *p != '\0'; p++)
        fuzz_assert ((guchar) *p >= 0x20 && *p != 0x7f);
    }

  return 0;
}
