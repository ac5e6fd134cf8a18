# -*- coding: utf-8 -*-
# Copyright: dataops.iam contributors
# GNU General Public License v3.0+ (see https://www.gnu.org/licenses/gpl-3.0.txt)
#
# GENERATED FILE, do not edit by hand. Source: cognite-sdk 8.22.0, cognite/client/data_classes/capabilities.py (introspected).
# Regenerate after upgrading cognite-sdk with
#   python tests/unit/tools/gen_catalogue.py
# tests/unit/plugins/module_utils/cdf/test_catalogue.py fails when this file and the installed cognite-sdk disagree.
"""The CDF ACL catalogue: each ACL's actions and scopes (scope -> {field: type}); legacy ACLs marked."""

from __future__ import annotations

from typing import Any

SOURCE = "cognite-sdk 8.22.0, cognite/client/data_classes/capabilities.py (introspected)"

ACLS: dict[str, dict[str, Any]] = {
    "agentsAcl": {
        "actions": ["READ", "WRITE", "RUN"],
        "scopes": {
            "all": {},
        },
    },
    "analyticsAcl": {
        "actions": ["READ", "EXECUTE", "LIST"],
        "scopes": {
            "all": {},
        },
    },
    "annotationsAcl": {
        "actions": ["READ", "WRITE", "SUGGEST", "REVIEW"],
        "scopes": {
            "all": {},
        },
    },
    "appConfigAcl": {
        "actions": ["READ", "WRITE"],
        "scopes": {
            "all": {},
            "appScope": {"apps": "list[Literal['SEARCH']]"},
        },
    },
    "appHostingAcl": {
        "actions": ["READ", "WRITE", "RUN"],
        "scopes": {
            "all": {},
            "appExternalIdScope": {"externalIds": "list[str]"},
        },
    },
    "assetsAcl": {
        "actions": ["READ", "WRITE"],
        "scopes": {
            "all": {},
            "datasetScope": {"ids": "list[int]"},
        },
    },
    "auditlogAcl": {
        "actions": ["READ"],
        "scopes": {
            "all": {},
        },
    },
    "chartsAdminAcl": {
        "actions": ["READ", "UPDATE", "DELETE"],
        "scopes": {
            "all": {},
        },
    },
    "cogUnitsAcl": {
        "actions": ["READ"],
        "scopes": {
            "all": {},
        },
    },
    "dataModelInstancesAcl": {
        "actions": ["READ", "WRITE", "WRITE_PROPERTIES"],
        "scopes": {
            "all": {},
            "spaceIdScope": {"spaceIds": "list[str]"},
            "spaceScope": {"externalIds": "list[str]"},
        },
    },
    "dataModelsAcl": {
        "actions": ["READ", "WRITE"],
        "scopes": {
            "all": {},
            "spaceIdScope": {"spaceIds": "list[str]"},
            "dataModelScope": {"externalIds": "list[str]"},
        },
    },
    "dataProductsAcl": {
        "actions": ["CREATE", "READ", "UPDATE", "DELETE", "USE"],
        "scopes": {
            "all": {},
            "dataProductScope": {"externalIds": "list[str]"},
        },
    },
    "datasetsAcl": {
        "actions": ["READ", "WRITE", "OWNER"],
        "scopes": {
            "all": {},
            "idScope": {"ids": "list[int]"},
        },
    },
    "diagramParsingAcl": {
        "actions": ["READ", "WRITE"],
        "scopes": {
            "all": {},
        },
    },
    "digitalTwinAcl": {
        "actions": ["READ", "WRITE"],
        "scopes": {
            "all": {},
        },
    },
    "documentFeedbackAcl": {
        "actions": ["CREATE", "READ", "DELETE"],
        "scopes": {
            "all": {},
        },
    },
    "documentPipelinesAcl": {
        "actions": ["READ", "WRITE"],
        "scopes": {
            "all": {},
        },
    },
    "entitymatchingAcl": {
        "actions": ["READ", "WRITE"],
        "scopes": {
            "all": {},
        },
    },
    "eventsAcl": {
        "actions": ["READ", "WRITE"],
        "scopes": {
            "all": {},
            "datasetScope": {"ids": "list[int]"},
        },
    },
    "experimentAcl": {
        "actions": ["USE"],
        "scopes": {
            "experimentscope": {"experiments": "list[str]"},
        },
    },
    "extractionConfigsAcl": {
        "actions": ["READ", "WRITE"],
        "scopes": {
            "all": {},
            "datasetScope": {"ids": "list[int]"},
            "extractionPipelineScope": {"ids": "list[int]"},
        },
    },
    "extractionPipelinesAcl": {
        "actions": ["READ", "WRITE"],
        "scopes": {
            "all": {},
            "idScope": {"ids": "list[int]"},
            "datasetScope": {"ids": "list[int]"},
        },
    },
    "extractionRunsAcl": {
        "actions": ["READ", "WRITE"],
        "scopes": {
            "all": {},
            "datasetScope": {"ids": "list[int]"},
            "extractionPipelineScope": {"ids": "list[int]"},
        },
    },
    "filePipelinesAcl": {
        "actions": ["READ", "WRITE"],
        "scopes": {
            "all": {},
        },
    },
    "filesAcl": {
        "actions": ["READ", "WRITE"],
        "scopes": {
            "all": {},
            "datasetScope": {"ids": "list[int]"},
        },
    },
    "functionsAcl": {
        "actions": ["READ", "WRITE", "RUN"],
        "scopes": {
            "all": {},
        },
    },
    "genericsAcl": {
        "actions": ["READ", "WRITE"],
        "scopes": {
            "all": {},
        },
        "legacy": True,
    },
    "geospatialAcl": {
        "actions": ["READ", "WRITE"],
        "scopes": {
            "all": {},
        },
    },
    "geospatialCrsAcl": {
        "actions": ["READ", "WRITE"],
        "scopes": {
            "all": {},
        },
    },
    "groupsAcl": {
        "actions": ["CREATE", "DELETE", "READ", "LIST", "UPDATE"],
        "scopes": {
            "all": {},
            "currentuserscope": {},
        },
    },
    "hostedExtractorsAcl": {
        "actions": ["READ", "WRITE"],
        "scopes": {
            "all": {},
        },
    },
    "integrationConfigsAcl": {
        "actions": ["READ", "WRITE"],
        "scopes": {
            "all": {},
        },
    },
    "integrationsAcl": {
        "actions": ["READ", "WRITE", "USE"],
        "scopes": {
            "all": {},
        },
    },
    "labelsAcl": {
        "actions": ["READ", "WRITE"],
        "scopes": {
            "all": {},
            "datasetScope": {"ids": "list[int]"},
        },
    },
    "locationFiltersAcl": {
        "actions": ["READ", "WRITE"],
        "scopes": {
            "all": {},
            "idScope": {"ids": "list[int]"},
        },
    },
    "modelHostingAcl": {
        "actions": ["READ", "WRITE"],
        "scopes": {
            "all": {},
        },
        "legacy": True,
    },
    "monitoringTasksAcl": {
        "actions": ["READ", "WRITE"],
        "scopes": {
            "all": {},
        },
    },
    "notificationsAcl": {
        "actions": ["READ", "WRITE"],
        "scopes": {
            "all": {},
        },
    },
    "pipelinesAcl": {
        "actions": ["READ", "WRITE"],
        "scopes": {
            "all": {},
        },
    },
    "postgresGatewayAcl": {
        "actions": ["READ", "WRITE"],
        "scopes": {
            "all": {},
            "usersScope": {"usernames": "list[str]"},
        },
    },
    "projectsAcl": {
        "actions": ["READ", "CREATE", "LIST", "UPDATE", "DELETE"],
        "scopes": {
            "all": {},
        },
    },
    "rawAcl": {
        "actions": ["READ", "WRITE", "LIST"],
        "scopes": {
            "all": {},
            "tableScope": {"dbsToTables": "dict[str, list[str] | dict[str, list[str]]]"},
        },
    },
    "relationshipsAcl": {
        "actions": ["READ", "WRITE"],
        "scopes": {
            "all": {},
            "datasetScope": {"ids": "list[int]"},
        },
    },
    "roboticsAcl": {
        "actions": ["READ", "CREATE", "UPDATE", "DELETE"],
        "scopes": {
            "all": {},
            "datasetScope": {"ids": "list[int]"},
        },
    },
    "sapWritebackAcl": {
        "actions": ["READ", "WRITE"],
        "scopes": {
            "all": {},
            "instancesScope": {"instances": "list[str]"},
        },
    },
    "sapWritebackRequestsAcl": {
        "actions": ["WRITE", "LIST"],
        "scopes": {
            "all": {},
            "instancesScope": {"instances": "list[str]"},
        },
    },
    "scheduledCalculationsAcl": {
        "actions": ["READ", "WRITE"],
        "scopes": {
            "all": {},
        },
    },
    "securityCategoriesAcl": {
        "actions": ["MEMBEROF", "LIST", "CREATE", "UPDATE", "DELETE"],
        "scopes": {
            "all": {},
            "idscope": {"ids": "list[int]"},
        },
    },
    "seismicAcl": {
        "actions": ["READ", "WRITE"],
        "scopes": {
            "all": {},
            "partition": {"partitionIds": "list[int]"},
        },
    },
    "sequencesAcl": {
        "actions": ["READ", "WRITE"],
        "scopes": {
            "all": {},
            "datasetScope": {"ids": "list[int]"},
        },
    },
    "sessionsAcl": {
        "actions": ["LIST", "CREATE", "DELETE"],
        "scopes": {
            "all": {},
        },
    },
    "simulatorsAcl": {
        "actions": ["READ", "WRITE", "DELETE", "RUN", "MANAGE"],
        "scopes": {
            "all": {},
            "datasetScope": {"ids": "list[int]"},
        },
    },
    "slaAcl": {
        "actions": ["READ"],
        "scopes": {
            "all": {},
        },
    },
    "streamRecordsAcl": {
        "actions": ["READ", "WRITE"],
        "scopes": {
            "all": {},
            "spaceIdScope": {"spaceIds": "list[str]"},
        },
    },
    "streamsAcl": {
        "actions": ["READ", "CREATE", "DELETE"],
        "scopes": {
            "all": {},
        },
    },
    "subscribeSignalsAcl": {
        "actions": ["READ", "WRITE"],
        "scopes": {
            "all": {},
            "currentuserscope": {},
        },
    },
    "templateGroupsAcl": {
        "actions": ["READ", "WRITE"],
        "scopes": {
            "all": {},
            "datasetScope": {"ids": "list[int]"},
        },
        "legacy": True,
    },
    "templateInstancesAcl": {
        "actions": ["READ", "WRITE"],
        "scopes": {
            "all": {},
            "datasetScope": {"ids": "list[int]"},
        },
    },
    "threedAcl": {
        "actions": ["READ", "CREATE", "UPDATE", "DELETE"],
        "scopes": {
            "all": {},
            "datasetScope": {"ids": "list[int]"},
        },
    },
    "timeSeriesAcl": {
        "actions": ["READ", "WRITE"],
        "scopes": {
            "all": {},
            "datasetScope": {"ids": "list[int]"},
            "idscope": {"ids": "list[int]"},
            "assetRootIdScope": {"rootIds": "list[int]"},
        },
    },
    "timeSeriesSubscriptionsAcl": {
        "actions": ["READ", "WRITE"],
        "scopes": {
            "all": {},
            "datasetScope": {"ids": "list[int]"},
        },
    },
    "transformationsAcl": {
        "actions": ["READ", "WRITE"],
        "scopes": {
            "all": {},
            "datasetScope": {"ids": "list[int]"},
        },
    },
    "transformationsExternalDataSourcesAcl": {
        "actions": ["READ", "WRITE", "USE"],
        "scopes": {
            "all": {},
            "datasetScope": {"ids": "list[int]"},
        },
    },
    "typesAcl": {
        "actions": ["READ", "WRITE"],
        "scopes": {
            "all": {},
        },
    },
    "userProfilesAcl": {
        "actions": ["READ"],
        "scopes": {
            "all": {},
        },
    },
    "visionModelAcl": {
        "actions": ["READ", "WRITE"],
        "scopes": {
            "all": {},
        },
    },
    "wellsAcl": {
        "actions": ["READ", "WRITE"],
        "scopes": {
            "all": {},
        },
    },
    "workflowOrchestrationAcl": {
        "actions": ["READ", "WRITE"],
        "scopes": {
            "all": {},
            "datasetScope": {"ids": "list[int]"},
        },
    },
}
