/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/*
 * Lists of chats that people bring: pasted text, a .txt, a .csv from a spreadsheet or a .vcf
 * from a phone. Every entry goes through ga_chat_id_parse(); the rest of the code takes the
 * chat IDs, never the text. GTK-free: the batch view, the command line and the export use it.
 */

#define GA_LIST_ERROR (ga_list_error_quark ())

/* Larger inputs are refused whole, before any parsing; GA_LIST_MAX_LINES also caps entries. */
#define GA_LIST_MAX_BYTES (20 * 1024 * 1024)
#define GA_LIST_MAX_LINES 100000

/* A CSV keeps this many rows under its header for a person to choose the phone column. */
#define GA_LIST_N_SAMPLE_ROWS 3

/**
 * GaListError:
 * @GA_LIST_ERROR_TOO_LARGE: the input is over %GA_LIST_MAX_BYTES bytes
 * @GA_LIST_ERROR_TOO_MANY_LINES: the input has over %GA_LIST_MAX_LINES lines
 * @GA_LIST_ERROR_ENCODING: UTF-16 text (by its byte order mark) that cannot be decoded
 * @GA_LIST_ERROR_TOO_MANY_ENTRIES: over %GA_LIST_MAX_LINES entries (on fewer lines)
 */
typedef enum
{
  GA_LIST_ERROR_TOO_LARGE,
  GA_LIST_ERROR_TOO_MANY_LINES,
  GA_LIST_ERROR_ENCODING,
  GA_LIST_ERROR_TOO_MANY_ENTRIES,
} GaListError;

/**
 * GaListFormat:
 * @GA_LIST_FORMAT_AUTO: by the file name's extension and the content
 * @GA_LIST_FORMAT_TEXT: one or more entries a line, separated by `,` `;` tab or spaces
 * @GA_LIST_FORMAT_CSV: RFC 4180, the separator, a header row and the phone column detected
 * @GA_LIST_FORMAT_VCARD: vCard 2.1, 3.0 or 4.0: every TEL of every card, FN as the name
 */
typedef enum
{
  GA_LIST_FORMAT_AUTO,
  GA_LIST_FORMAT_TEXT,
  GA_LIST_FORMAT_CSV,
  GA_LIST_FORMAT_VCARD,
} GaListFormat;

/**
 * GaListEntry:
 * @line: the 1-based line where the entry starts (of the decoded text)
 * @text: the entry as written, valid UTF-8 (invalid bytes shown as U+FFFD)
 * @chat_id: (nullable): the canonical chat ID, %NULL when rejected
 * @name: (nullable): the name the input gives (a CSV name column, a vCard FN)
 * @error: (nullable): why it was rejected, a translated sentence a person can act on
 * @chat: the index of its unique chat (ga_list_get_chat_id()), or %GA_LIST_NO_CHAT
 * @duplicate: an earlier entry is the same chat
 *
 * One entry of the input, in input order. Read-only; owned by the #GaList.
 */
typedef struct
{
  guint     line;
  char     *text;
  char     *chat_id;
  char     *name;
  char     *error;
  guint     chat;
  gboolean  duplicate;
} GaListEntry;

#define GA_LIST_NO_CHAT G_MAXUINT

#define GA_TYPE_LIST (ga_list_get_type ())

G_DECLARE_FINAL_TYPE (GaList, ga_list, GA, LIST, GObject)

GQuark              ga_list_error_quark             (void);

GaList             *ga_list_parse                   (GBytes               *bytes,
                                                     const char           *file_name,
                                                     GaListFormat          format,
                                                     int                   phone_column,
                                                     GCancellable         *cancellable,
                                                     GError              **error);
GaList             *ga_list_parse_text              (const char           *text,
                                                     GError              **error);
void                ga_list_parse_async             (GBytes               *bytes,
                                                     const char           *file_name,
                                                     GaListFormat          format,
                                                     int                   phone_column,
                                                     GCancellable         *cancellable,
                                                     GAsyncReadyCallback   callback,
                                                     gpointer              user_data);
GaList             *ga_list_parse_finish            (GAsyncResult         *result,
                                                     GError              **error);

GaListFormat        ga_list_get_format              (GaList               *self);
guint               ga_list_get_n_entries           (GaList               *self);
const GaListEntry  *ga_list_get_entry               (GaList               *self,
                                                     guint                 position);
guint               ga_list_get_n_rejected          (GaList               *self);
guint               ga_list_get_n_chats             (GaList               *self);
const char         *ga_list_get_chat_id             (GaList               *self,
                                                     guint                 chat);
const char         *ga_list_get_chat_name           (GaList               *self,
                                                     guint                 chat);
guint               ga_list_get_chat_entry          (GaList               *self,
                                                     guint                 chat);

const char * const *ga_list_get_columns             (GaList               *self);
int                 ga_list_get_phone_column        (GaList               *self);
gboolean            ga_list_get_phone_column_certain (GaList              *self);
guint               ga_list_get_n_sample_rows       (GaList               *self);
const char         *ga_list_get_sample              (GaList               *self,
                                                     guint                 row,
                                                     guint                 column);
int                 ga_list_get_name_column         (GaList               *self);
gboolean            ga_list_get_has_header          (GaList               *self);
char                ga_list_get_separator           (GaList               *self);

G_END_DECLS
