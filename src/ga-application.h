/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <adwaita.h>
#include <libsoup/soup.h>

#include "ga-cache.h"
#include "ga-chat-status.h"
#include "ga-contact-list.h"
#include "ga-credentials.h"
#include "ga-instances.h"

G_BEGIN_DECLS

#define GA_TYPE_APPLICATION (ga_application_get_type ())

G_DECLARE_FINAL_TYPE (GaApplication, ga_application, GA, APPLICATION, AdwApplication)

GaApplication *ga_application_new             (void);

/* Valid from startup on. */
SoupSession   *ga_application_get_session     (GaApplication *self);
GSettings     *ga_application_get_settings    (GaApplication *self);
GaCredentials *ga_application_get_credentials (GaApplication *self);
GaInstances   *ga_application_get_instances   (GaApplication *self);
GaCache       *ga_application_get_cache       (GaApplication *self);
GaChatStatus  *ga_application_get_chat_status (GaApplication *self);
GaContactList *ga_application_get_contact_list (GaApplication *self);
/* TRUE when started with --demo: the built-in server answers and nothing is saved. */
gboolean       ga_application_get_demo        (GaApplication *self);

G_END_DECLS
