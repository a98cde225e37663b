/* SPDX-License-Identifier: GPL-3.0-or-later */

#define G_LOG_DOMAIN "ga-group-data"

#include "config.h"

#include "ga-group-data.h"

#include "ga-json.h"
#include "ga-response.h"

#define MAX_PARSE_SIZE     (4 * 1024 * 1024)
/* WhatsApp groups hold at most about a thousand; anything past this is not a real group. */
#define MAX_PARTICIPANTS   10000

typedef struct
{
  char     *id;              /* (owned) */
  gboolean  is_admin;
  gboolean  is_super_admin;
} Participant;

struct _GaGroupData
{
  GObject   parent_instance;

  char     *group_id;        /* (owned) (nullable) */
  char     *owner;           /* (owned) (nullable) */
  char     *subject;         /* (owned) (nullable) */
  char     *subject_owner;   /* (owned) (nullable) */
  char     *invite_link;     /* (owned) (nullable) */
  gint64    creation;
  gint64    subject_time;
  GArray   *participants;    /* (owned) (element-type Participant) */
};

G_DEFINE_FINAL_TYPE (GaGroupData, ga_group_data, G_TYPE_OBJECT)

static void
participant_clear (Participant *participant)
{
  g_free (participant->id);
}

static void
ga_group_data_finalize (GObject *object)
{
  GaGroupData *self = (GaGroupData *)object;

  g_free (self->group_id);
  g_free (self->owner);
  g_free (self->subject);
  g_free (self->subject_owner);
  g_free (self->invite_link);
  g_array_unref (self->participants);

  G_OBJECT_CLASS (ga_group_data_parent_class)->finalize (object);
}

static void
ga_group_data_class_init (GaGroupDataClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = ga_group_data_finalize;
}

static void
ga_group_data_init (GaGroupData *self)
{
  self->participants = g_array_new (FALSE, TRUE, sizeof (Participant));
  g_array_set_clear_func (self->participants, (GDestroyNotify) participant_clear);
}

/**
 * ga_group_data_parse:
 * @data: the body of an HTTP 200 answer to getGroupData (not NUL-terminated)
 * @length: its length
 * @group_id: (nullable): the group asked for; used when the answer lacks `groupId`
 * @error: a #GA_ERROR
 *
 * Every field is optional. Participants without a string `id` are skipped; at most 10,000
 * are kept.
 *
 * Returns: (transfer full) (nullable): the group data, or %NULL with @error set
 */
GaGroupData *
ga_group_data_parse (const char  *data,
                     gsize        length,
                     const char  *group_id,
                     GError     **error)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GaGroupData) self = NULL;
  JsonObject *object;
  JsonArray *array;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  root = ga_response_parse_object (data, length, MAX_PARSE_SIZE, error);
  if (root == NULL)
    return NULL;
  object = json_node_get_object (root);

  self = g_object_new (GA_TYPE_GROUP_DATA, NULL);
  self->group_id = ga_json_dup_string (object, "groupId");
  if (self->group_id == NULL && group_id != NULL && group_id[0] != '\0')
    self->group_id = g_strdup (group_id);
  self->owner = ga_json_dup_string (object, "owner");
  self->subject = ga_json_dup_string (object, "subject");
  self->subject_owner = ga_json_dup_string (object, "subjectOwner");
  self->invite_link = ga_json_dup_string (object, "groupInviteLink");
  ga_json_get_integer (object, "creation", &self->creation);
  ga_json_get_integer (object, "subjectTime", &self->subject_time);

  array = ga_json_get_array (object, "participants");
  if (array != NULL)
    {
      guint n = json_array_get_length (array);

      for (guint i = 0; i < n && self->participants->len < MAX_PARTICIPANTS; i++)
        {
          JsonNode *node = json_array_get_element (array, i);
          Participant participant = { NULL, FALSE, FALSE };
          JsonObject *member;

          if (!JSON_NODE_HOLDS_OBJECT (node))
            continue;
          member = json_node_get_object (node);
          participant.id = ga_json_dup_string (member, "id");
          if (participant.id == NULL)
            continue;
          ga_json_get_boolean (member, "isAdmin", &participant.is_admin);
          ga_json_get_boolean (member, "isSuperAdmin", &participant.is_super_admin);
          g_array_append_val (self->participants, participant);
        }
    }

  return g_steal_pointer (&self);
}

const char *
ga_group_data_get_group_id (GaGroupData *self)
{
  g_return_val_if_fail (GA_IS_GROUP_DATA (self), NULL);
  return self->group_id;
}

const char *
ga_group_data_get_owner (GaGroupData *self)
{
  g_return_val_if_fail (GA_IS_GROUP_DATA (self), NULL);
  return self->owner;
}

const char *
ga_group_data_get_subject (GaGroupData *self)
{
  g_return_val_if_fail (GA_IS_GROUP_DATA (self), NULL);
  return self->subject;
}

/* Unix time in seconds, 0 when not given. */
gint64
ga_group_data_get_creation (GaGroupData *self)
{
  g_return_val_if_fail (GA_IS_GROUP_DATA (self), 0);
  return self->creation;
}

gint64
ga_group_data_get_subject_time (GaGroupData *self)
{
  g_return_val_if_fail (GA_IS_GROUP_DATA (self), 0);
  return self->subject_time;
}

const char *
ga_group_data_get_subject_owner (GaGroupData *self)
{
  g_return_val_if_fail (GA_IS_GROUP_DATA (self), NULL);
  return self->subject_owner;
}

/* Empty (NULL) unless the instance is an admin of the group. */
const char *
ga_group_data_get_invite_link (GaGroupData *self)
{
  g_return_val_if_fail (GA_IS_GROUP_DATA (self), NULL);
  return self->invite_link;
}

guint
ga_group_data_get_n_participants (GaGroupData *self)
{
  g_return_val_if_fail (GA_IS_GROUP_DATA (self), 0);
  return self->participants->len;
}

/**
 * ga_group_data_get_participant:
 * @self: a #GaGroupData
 * @index: less than ga_group_data_get_n_participants()
 * @is_admin: (out) (optional): whether the participant is an admin
 * @is_super_admin: (out) (optional): whether the participant is the super admin
 *
 * Returns: the participant's chat ID
 */
const char *
ga_group_data_get_participant (GaGroupData *self,
                               guint        index,
                               gboolean    *is_admin,
                               gboolean    *is_super_admin)
{
  Participant *participant;

  g_return_val_if_fail (GA_IS_GROUP_DATA (self), NULL);
  g_return_val_if_fail (index < self->participants->len, NULL);

  participant = &g_array_index (self->participants, Participant, index);
  if (is_admin != NULL)
    *is_admin = participant->is_admin;
  if (is_super_admin != NULL)
    *is_super_admin = participant->is_super_admin;

  return participant->id;
}
