/* SPDX-License-Identifier: GPL-3.0-or-later */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define GA_TYPE_GROUP_DATA (ga_group_data_get_type ())

G_DECLARE_FINAL_TYPE (GaGroupData, ga_group_data, GA, GROUP_DATA, GObject)

/* What getGroupData said about one group. Immutable; strings nullable and untrusted. */
GaGroupData *ga_group_data_parse                 (const char   *data,
                                                  gsize         length,
                                                  const char   *group_id,
                                                  GError      **error);
const char  *ga_group_data_get_group_id          (GaGroupData  *self);
const char  *ga_group_data_get_owner             (GaGroupData  *self);
const char  *ga_group_data_get_subject           (GaGroupData  *self);
gint64       ga_group_data_get_creation          (GaGroupData  *self);
gint64       ga_group_data_get_subject_time      (GaGroupData  *self);
const char  *ga_group_data_get_subject_owner     (GaGroupData  *self);
const char  *ga_group_data_get_invite_link       (GaGroupData  *self);
guint        ga_group_data_get_n_participants    (GaGroupData  *self);
const char  *ga_group_data_get_participant       (GaGroupData  *self,
                                                  guint         index,
                                                  gboolean     *is_admin,
                                                  gboolean     *is_super_admin);

G_END_DECLS
