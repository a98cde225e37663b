/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * GaTextFlags:
 * @GA_TEXT_ONE_LINE: a title: every run of white space (line breaks included) becomes one space
 * @GA_TEXT_MULTI_LINE: a description: line breaks are kept (at most two in a row)
 */
typedef enum
{
  GA_TEXT_ONE_LINE,
  GA_TEXT_MULTI_LINE,
} GaTextFlags;

/* How long a name may be on screen, and a description. */
#define GA_TEXT_MAX_NAME        200
#define GA_TEXT_MAX_DESCRIPTION 2000

char *ga_text_for_display        (const char  *text,
                                  gsize        max_chars,
                                  GaTextFlags  flags);
char *ga_text_format_chat_id     (const char  *chat_id);

G_END_DECLS
