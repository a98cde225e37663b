/* SPDX-License-Identifier: GPL-3.0-or-later */

/* libFuzzer harness for the getAvatar and getStateInstance answer parsers. */

#define G_LOG_DOMAIN "fuzz-avatar-response"

#include "config.h"

#include "ga-error.h"
#include "ga-response.h"

#include "fuzz-common.h"

#define CHAT_ID "11001234567@c.us"

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const guint8 *data, size_t size);

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  fuzz_init ();
  return 0;
}

int
LLVMFuzzerTestOneInput (const guint8 *data,
                        size_t        size)
{
  /* A copy of exactly @size bytes, so ASan sees any read past the end. */
  g_autofree char *body = g_memdup2 (data, size);
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) state_error = NULL;
  g_autoptr(GaAvatarInfo) info = NULL;
  GaResponseAction action = GA_RESPONSE_OK;
  GaInstanceState state = GA_INSTANCE_STATE_UNKNOWN;

  info = ga_response_parse_avatar (body, size, CHAT_ID, &action, &error);

  if (info != NULL)
    {
      GaAvatarState avatar_state = ga_avatar_info_get_state (info);

      fuzz_assert (error == NULL);
      fuzz_assert (g_strcmp0 (ga_avatar_info_get_chat_id (info), CHAT_ID) == 0);
      fuzz_assert (avatar_state == GA_AVATAR_STATE_HAS_AVATAR ||
                   avatar_state == GA_AVATAR_STATE_PRIVATE ||
                   avatar_state == GA_AVATAR_STATE_NOT_SET);
      /* A picture is somewhere to be had when the state says there is one. */
      if (avatar_state == GA_AVATAR_STATE_HAS_AVATAR)
        fuzz_assert (ga_avatar_info_get_url (info) != NULL ||
                     ga_avatar_info_get_inline_image (info) != NULL);
      if (ga_avatar_info_get_url (info) != NULL)
        fuzz_assert (g_utf8_validate (ga_avatar_info_get_url (info), -1, NULL));
    }
  else if (error != NULL)
    {
      fuzz_assert (error->domain == GA_ERROR);
      fuzz_assert (error->message != NULL && error->message[0] != '\0');
      fuzz_assert (g_utf8_validate (error->message, -1, NULL));
    }
  else
    {
      /* Neither info nor error: only allowed for "try again". */
      fuzz_assert (action == GA_RESPONSE_RETRY);
    }

  if (ga_response_parse_state (body, size, &state, &state_error))
    {
      fuzz_assert (state_error == NULL);
      fuzz_assert (state >= GA_INSTANCE_STATE_UNKNOWN && state <= GA_INSTANCE_STATE_YELLOW_CARD);
      fuzz_assert (ga_response_describe_state (state) != NULL);
    }
  else
    {
      fuzz_assert (state_error != NULL);
      fuzz_assert (g_utf8_validate (state_error->message, -1, NULL));
    }

  return 0;
}
