/* SPDX-License-Identifier: GPL-3.0-or-later */

/* libFuzzer harness for the getContactInfo answer parser. */

#define G_LOG_DOMAIN "fuzz-contact-info"

#include "config.h"

#include "ga-contact-info.h"
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
  fuzz_assert (text[0] != '\0');
  fuzz_assert (strlen (text) <= GA_JSON_MAX_STRING);
  fuzz_assert (g_utf8_validate (text, -1, NULL));
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  g_autofree char *body = g_memdup2 (data, size);
  g_autoptr(GError) error = NULL;
  g_autoptr(GaContactInfo) info = NULL;

  info = ga_contact_info_parse (body, size, "11001234567@c.us", &error);
  if (info == NULL)
    {
      fuzz_assert (error != NULL && error->domain == GA_ERROR);
      fuzz_assert (g_utf8_validate (error->message, -1, NULL));
      return 0;
    }

  fuzz_assert (error == NULL);
  check_string (ga_contact_info_get_chat_id (info));
  check_string (ga_contact_info_get_name (info));
  check_string (ga_contact_info_get_contact_name (info));
  check_string (ga_contact_info_get_display_name (info));
  check_string (ga_contact_info_get_avatar_url (info));
  check_string (ga_contact_info_get_category (info));
  check_string (ga_contact_info_get_description (info));
  check_string (ga_contact_info_get_email (info));
  check_string (ga_contact_info_get_last_seen (info));
  for (const char * const *p = ga_contact_info_get_product_names (info); *p != NULL; p++)
    check_string (*p);

  return 0;
}
