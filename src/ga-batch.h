/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <gdk/gdk.h>

#include "ga-cache.h"
#include "ga-client.h"
#include "ga-contact-list.h"
#include "ga-list-parser.h"

G_BEGIN_DECLS

/**
 * GaBatchStatus:
 * @GA_BATCH_STATUS_PENDING: not looked up yet
 * @GA_BATCH_STATUS_PICTURE: a picture was found (and is in the disk cache)
 * @GA_BATCH_STATUS_PRIVATE: privacy settings hide the picture
 * @GA_BATCH_STATUS_NOT_SET: no picture set, or no account
 * @GA_BATCH_STATUS_FAILED: the lookup failed; the item's error says why
 *
 * What a batch knows about one chat.
 */
typedef enum
{
  GA_BATCH_STATUS_PENDING,
  GA_BATCH_STATUS_PICTURE,
  GA_BATCH_STATUS_PRIVATE,
  GA_BATCH_STATUS_NOT_SET,
  GA_BATCH_STATUS_FAILED,
} GaBatchStatus;

#define GA_BATCH_N_STATUSES (GA_BATCH_STATUS_FAILED + 1)

/**
 * GaBatchState:
 * @GA_BATCH_STATE_EMPTY: no list
 * @GA_BATCH_STATE_READY: a list, not started (or resumed from disk)
 * @GA_BATCH_STATE_RUNNING: lookups are running
 * @GA_BATCH_STATE_PAUSED: paused by the user
 * @GA_BATCH_STATE_OFFLINE: paused because the network went away; resumes when it is back
 * @GA_BATCH_STATE_STOPPED: stopped by the user or by the quota (see ga_batch_get_error())
 * @GA_BATCH_STATE_FINISHED: every chat has a result
 */
typedef enum
{
  GA_BATCH_STATE_EMPTY,
  GA_BATCH_STATE_READY,
  GA_BATCH_STATE_RUNNING,
  GA_BATCH_STATE_PAUSED,
  GA_BATCH_STATE_OFFLINE,
  GA_BATCH_STATE_STOPPED,
  GA_BATCH_STATE_FINISHED,
} GaBatchState;

/* Grid pictures are decoded at most this large (64 px shown at scale 2); at the size the grid
 * shows them (ga_batch_set_thumbnail_size()). */
#define GA_BATCH_THUMBNAIL_SIZE 128

/**
 * GaBatchRejected:
 * @line: the 1-based line of the list
 * @text: the entry as written
 * @error: why it was left out, a translated sentence
 *
 * An entry of the list that is no phone number or chat ID (ga_batch_get_rejected()).
 */
typedef struct
{
  guint  line;
  char  *text;
  char  *error;
} GaBatchRejected;

void           ga_batch_rejected_free      (GaBatchRejected     *rejected);

#define GA_TYPE_BATCH_ITEM (ga_batch_item_get_type ())

G_DECLARE_FINAL_TYPE (GaBatchItem, ga_batch_item, GA, BATCH_ITEM, GObject)

/* Properties (read-only, notifying): "chat-id", "input", "line", "name", "status", "error",
 * "thumbnail", "key". */
const char    *ga_batch_item_get_chat_id   (GaBatchItem *self);
const char    *ga_batch_item_get_input     (GaBatchItem *self);
guint          ga_batch_item_get_line      (GaBatchItem *self);
const char    *ga_batch_item_get_name      (GaBatchItem *self);
GaBatchStatus  ga_batch_item_get_status    (GaBatchItem *self);
const char    *ga_batch_item_get_error     (GaBatchItem *self);
GdkTexture    *ga_batch_item_get_thumbnail (GaBatchItem *self);
const char    *ga_batch_item_get_key       (GaBatchItem *self);

#define GA_TYPE_BATCH (ga_batch_get_type ())

G_DECLARE_FINAL_TYPE (GaBatch, ga_batch, GA, BATCH, GObject)

GaBatch       *ga_batch_new                (GaCache             *cache,
                                            const char          *state_file);
void           ga_batch_set_client         (GaBatch             *self,
                                            GaClient            *client);
GaClient      *ga_batch_get_client         (GaBatch             *self);

void           ga_batch_set_list           (GaBatch             *self,
                                            GaList              *list);
gboolean       ga_batch_load               (GaBatch             *self,
                                            GError             **error);
void           ga_batch_load_async         (GaBatch             *self,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
gboolean       ga_batch_load_finish        (GaBatch             *self,
                                            GAsyncResult        *result,
                                            GError             **error);
void           ga_batch_clear              (GaBatch             *self);
gboolean       ga_batch_save_finish        (GaBatch             *self,
                                            GAsyncResult        *result,
                                            GError             **error);
void           ga_batch_save_async         (GaBatch             *self,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
gboolean       ga_batch_save               (GaBatch             *self,
                                            GError             **error);
gboolean       ga_batch_state_file_exists  (const char          *state_file);

void           ga_batch_start              (GaBatch             *self);
void           ga_batch_pause              (GaBatch             *self);
void           ga_batch_stop               (GaBatch             *self);
void           ga_batch_set_network_available (GaBatch          *self,
                                               gboolean          available);
void           ga_batch_set_names          (GaBatch             *self,
                                            GHashTable          *names);
void           ga_batch_set_contact_list   (GaBatch             *self,
                                            GaContactList       *contacts);

GListModel    *ga_batch_get_model          (GaBatch             *self);
GaBatchState   ga_batch_get_state          (GaBatch             *self);
guint          ga_batch_get_n_chats        (GaBatch             *self);
guint          ga_batch_get_n_done         (GaBatch             *self);
guint          ga_batch_get_n_rejected     (GaBatch             *self);
GPtrArray     *ga_batch_get_rejected       (GaBatch             *self,
                                            guint                max);
guint          ga_batch_get_count          (GaBatch             *self,
                                            GaBatchStatus        status);
gint64         ga_batch_get_seconds_left   (GaBatch             *self);
const char    *ga_batch_get_error          (GaBatch             *self);

void           ga_batch_set_thumbnail_size (GaBatch             *self,
                                            guint                size);
guint          ga_batch_get_thumbnail_size (GaBatch             *self);
void           ga_batch_request_thumbnail  (GaBatch             *self,
                                            GaBatchItem         *item);
void           ga_batch_forget_thumbnail   (GaBatch             *self,
                                            GaBatchItem         *item);

void           ga_batch_export_async       (GaBatch             *self,
                                            GFile               *folder,
                                            gboolean             overwrite,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
gboolean       ga_batch_export_finish      (GaBatch             *self,
                                            GAsyncResult        *result,
                                            GError             **error);

const char    *ga_batch_status_to_string   (GaBatchStatus        status);

G_END_DECLS
