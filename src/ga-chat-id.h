/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define GA_CHAT_ID_ERROR (ga_chat_id_error_quark ())

/* The longest input accepted at all; anything longer is refused before parsing. */
#define GA_CHAT_ID_MAX_INPUT 512

typedef enum
{
  GA_CHAT_KIND_PERSONAL,
  GA_CHAT_KIND_GROUP,
  GA_CHAT_KIND_LID,
} GaChatKind;

/**
 * GaChatIdError:
 * @GA_CHAT_ID_ERROR_EMPTY: nothing but white space was given
 * @GA_CHAT_ID_ERROR_INVALID_CHARACTERS: letters or other characters where only digits fit
 * @GA_CHAT_ID_ERROR_TOO_SHORT: a phone number with fewer than 11 digits
 * @GA_CHAT_ID_ERROR_TOO_LONG: a phone number with more than 16 digits, or input over
 *   %GA_CHAT_ID_MAX_INPUT bytes
 * @GA_CHAT_ID_ERROR_UNKNOWN_SUFFIX: an `@` suffix other than c.us, g.us or lid
 * @GA_CHAT_ID_ERROR_MALFORMED_GROUP: a `@g.us` id of neither group form
 * @GA_CHAT_ID_ERROR_MALFORMED_LID: a `@lid` id that is not digits
 * @GA_CHAT_ID_ERROR_MALFORMED_LINK: a wa.me or whatsapp:// link without a usable phone number
 */
typedef enum
{
  GA_CHAT_ID_ERROR_EMPTY,
  GA_CHAT_ID_ERROR_INVALID_CHARACTERS,
  GA_CHAT_ID_ERROR_TOO_SHORT,
  GA_CHAT_ID_ERROR_TOO_LONG,
  GA_CHAT_ID_ERROR_UNKNOWN_SUFFIX,
  GA_CHAT_ID_ERROR_MALFORMED_GROUP,
  GA_CHAT_ID_ERROR_MALFORMED_LID,
  GA_CHAT_ID_ERROR_MALFORMED_LINK,
} GaChatIdError;

GQuark  ga_chat_id_error_quark (void);

char   *ga_chat_id_parse       (const char  *input,
                                GaChatKind  *kind,
                                GError     **error);

G_END_DECLS
