/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/**
 * GaContactType:
 * @GA_CONTACT_TYPE_UNKNOWN: the answer did not say (and the chat ID does not tell)
 * @GA_CONTACT_TYPE_USER: a person (`…@c.us`, `…@lid`)
 * @GA_CONTACT_TYPE_GROUP: a group (`…@g.us`)
 */
typedef enum
{
  GA_CONTACT_TYPE_UNKNOWN,
  GA_CONTACT_TYPE_USER,
  GA_CONTACT_TYPE_GROUP,
} GaContactType;

/* At most this many entries of a getContacts answer (or the file on disk) are kept. */
#define GA_CONTACT_MAX_ENTRIES 100000

#define GA_TYPE_CONTACT (ga_contact_get_type ())

/* One entry of getContacts: immutable, reference counted, safe to share between threads. */
typedef struct _GaContact GaContact;

GType          ga_contact_get_type          (void) G_GNUC_CONST;
GaContact     *ga_contact_new               (const char     *chat_id,
                                             const char     *name,
                                             const char     *contact_name,
                                             GaContactType   type);
GaContact     *ga_contact_ref               (GaContact      *self);
void           ga_contact_unref             (GaContact      *self);
const char    *ga_contact_get_chat_id       (const GaContact *self);
const char    *ga_contact_get_name          (const GaContact *self);
const char    *ga_contact_get_contact_name  (const GaContact *self);
const char    *ga_contact_get_display_name  (const GaContact *self);
GaContactType  ga_contact_get_contact_type  (const GaContact *self);

GPtrArray     *ga_contact_parse_list        (const char     *data,
                                             gsize           length,
                                             GError        **error);
GPtrArray     *ga_contact_list_from_json    (JsonArray      *array);
gboolean       ga_contact_parse_check_whatsapp (const char  *data,
                                             gsize           length,
                                             gboolean       *exists,
                                             GError        **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GaContact, ga_contact_unref)

G_END_DECLS
