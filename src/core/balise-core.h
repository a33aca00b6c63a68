/* balise-core.h: everything the UI and the CLI use from the core
 *
 * Copyright 2026 The Balise Authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "balise-category.h"
#include "balise-changeset-summary.h"
#include "balise-changeset-tags.h"
#include "balise-core-types.h"
#include "balise-dashboard.h"
#include "balise-edit.h"
#include "balise-import.h"
#include "balise-note.h"
#include "balise-oauth.h"
#include "balise-osm-xml.h"
#include "balise-package.h"
#include "balise-servers.h"
#include "balise-store.h"
#include "balise-store-conflicts.h"
#include "balise-store-contributors.h"
#include "balise-store-history.h"
#include "balise-store-journal.h"
#include "balise-store-notes.h"
#include "balise-store-photos.h"
#include "balise-store-queue.h"
#include "balise-store-review.h"
#include "balise-store-ways.h"
#include "balise-sync-client.h"
#include "balise-tag-merge.h"
#include "balise-tags.h"
#include "balise-tags-diff.h"
#include "balise-token-store.h"
#include "balise-upload-preview.h"
