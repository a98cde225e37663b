/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <glib-object.h>

#include "ga-response.h"

G_BEGIN_DECLS

#define GA_TYPE_ACCOUNT (ga_account_get_type ())

G_DECLARE_FINAL_TYPE (GaAccount, ga_account, GA, ACCOUNT, GObject)

/* The WhatsApp account linked to the instance, from getWaSettings or getSettings. Immutable;
 * strings nullable and untrusted. */
GaAccount       *ga_account_parse_wa_settings (const char  *data,
                                               gsize        length,
                                               GError     **error);
GaAccount       *ga_account_parse_settings    (const char  *data,
                                               gsize        length,
                                               GError     **error);
const char      *ga_account_get_chat_id       (GaAccount   *self);
const char      *ga_account_get_phone         (GaAccount   *self);
const char      *ga_account_get_avatar_url    (GaAccount   *self);
const char      *ga_account_get_device_id     (GaAccount   *self);
GaInstanceState  ga_account_get_state         (GaAccount   *self);

G_END_DECLS
