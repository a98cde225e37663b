/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <gtk/gtk.h>

#include "ga-client.h"
#include "ga-contact-list.h"

G_BEGIN_DECLS

/**
 * GaContactCardState:
 * @GA_CONTACT_CARD_STATE_EMPTY: no chat
 * @GA_CONTACT_CARD_STATE_LOADING: the chat's number (or a name from the contact list) while
 *   getContactInfo or getGroupData runs
 * @GA_CONTACT_CARD_STATE_PERSON: a person's card
 * @GA_CONTACT_CARD_STATE_BUSINESS: a business account's card
 * @GA_CONTACT_CARD_STATE_GROUP: a group's card
 * @GA_CONTACT_CARD_STATE_FAILED: the request failed; the card says so quietly and tries later
 */
typedef enum
{
  GA_CONTACT_CARD_STATE_EMPTY,
  GA_CONTACT_CARD_STATE_LOADING,
  GA_CONTACT_CARD_STATE_PERSON,
  GA_CONTACT_CARD_STATE_BUSINESS,
  GA_CONTACT_CARD_STATE_GROUP,
  GA_CONTACT_CARD_STATE_FAILED,
} GaContactCardState;

/**
 * GaAccountCheck:
 * @GA_ACCOUNT_CHECK_NONE: not checked
 * @GA_ACCOUNT_CHECK_RUNNING: checkWhatsapp runs
 * @GA_ACCOUNT_CHECK_NO_PICTURE: the number has WhatsApp: no picture is set
 * @GA_ACCOUNT_CHECK_NO_ACCOUNT: the number has no WhatsApp account
 * @GA_ACCOUNT_CHECK_FAILED: the check failed (the quota is used up, or another error)
 */
typedef enum
{
  GA_ACCOUNT_CHECK_NONE,
  GA_ACCOUNT_CHECK_RUNNING,
  GA_ACCOUNT_CHECK_NO_PICTURE,
  GA_ACCOUNT_CHECK_NO_ACCOUNT,
  GA_ACCOUNT_CHECK_FAILED,
} GaAccountCheck;

/* How long a checkWhatsapp answer is kept for a chat. */
#define GA_CONTACT_CARD_CHECK_LIFETIME (24 * G_TIME_SPAN_HOUR)

#define GA_TYPE_CONTACT_CARD (ga_contact_card_get_type ())

G_DECLARE_FINAL_TYPE (GaContactCard, ga_contact_card, GA, CONTACT_CARD, GtkBox)

GtkWidget          *ga_contact_card_new               (void);
void                ga_contact_card_set_client        (GaContactCard *self,
                                                       GaClient      *client);
void                ga_contact_card_set_settings      (GaContactCard *self,
                                                       GSettings     *settings);
void                ga_contact_card_set_contact_list  (GaContactCard *self,
                                                       GaContactList *list);
void                ga_contact_card_set_cache_directory (GaContactCard *self,
                                                       const char    *directory);
void                ga_contact_card_set_own_chat_id   (GaContactCard *self,
                                                       const char    *chat_id);
void                ga_contact_card_set_retry_seconds (GaContactCard *self,
                                                       guint          seconds);
void                ga_contact_card_load              (GaContactCard *self,
                                                       const char    *chat_id);
void                ga_contact_card_clear             (GaContactCard *self);
void                ga_contact_card_set_no_picture    (GaContactCard *self,
                                                       gboolean       no_picture);
GaContactCardState  ga_contact_card_get_state         (GaContactCard *self);
void                ga_contact_card_forget_memory     (void);
gboolean            ga_contact_card_get_busy          (GaContactCard *self);
GaAccountCheck      ga_contact_card_get_account_check (GaContactCard *self);
const char         *ga_contact_card_get_title         (GaContactCard *self);

G_END_DECLS
