/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define GA_TYPE_CONTACT_INFO (ga_contact_info_get_type ())

G_DECLARE_FINAL_TYPE (GaContactInfo, ga_contact_info, GA, CONTACT_INFO, GObject)

/* What getContactInfo said about one chat. Immutable. Every string may be NULL (absent,
 * null, empty or not a string in the answer) and is untrusted text: sanitize before display. */
GaContactInfo *ga_contact_info_parse                 (const char     *data,
                                                      gsize           length,
                                                      const char     *chat_id,
                                                      GError        **error);
const char    *ga_contact_info_get_chat_id           (GaContactInfo  *self);
const char    *ga_contact_info_get_name              (GaContactInfo  *self);
const char    *ga_contact_info_get_contact_name      (GaContactInfo  *self);
const char    *ga_contact_info_get_display_name      (GaContactInfo  *self);
const char    *ga_contact_info_get_avatar_url        (GaContactInfo  *self);
gboolean       ga_contact_info_get_is_business       (GaContactInfo  *self);
const char    *ga_contact_info_get_category          (GaContactInfo  *self);
const char    *ga_contact_info_get_description       (GaContactInfo  *self);
const char    *ga_contact_info_get_email             (GaContactInfo  *self);
const char    *ga_contact_info_get_last_seen         (GaContactInfo  *self);
const char * const *ga_contact_info_get_product_names (GaContactInfo *self);
gboolean       ga_contact_info_get_is_archive        (GaContactInfo  *self);
gboolean       ga_contact_info_get_is_disappearing   (GaContactInfo  *self);
gboolean       ga_contact_info_get_is_mute           (GaContactInfo  *self);
gint64         ga_contact_info_get_message_expiration (GaContactInfo *self);
gint64         ga_contact_info_get_mute_expiration   (GaContactInfo  *self);

G_END_DECLS
