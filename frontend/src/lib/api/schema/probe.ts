// DRAFT: probe_service/app.py's schema until deploy/openapi.py lists the service; `npm run gen:api` replaces it.
export interface paths {
    "/api/incidents": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Recent Incidents */
        get: operations["recent_incidents_api_incidents_get_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/monitors": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** All Monitors */
        get: operations["all_monitors_api_monitors_get_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/monitors/{monitor_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Monitor Details */
        get: operations["monitor_details_api_monitors__monitor_id__get_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/monitors/{monitor_id}/checks": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Monitor History */
        get: operations["monitor_history_api_monitors__monitor_id__checks_get_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/push/{key}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Kuma Push */
        get: operations["kuma_push_api_push__key__get_get"];
        put?: never;
        /** Kuma Push */
        post: operations["kuma_push_api_push__key__get_post"];
        delete?: never;
        options?: never;
        /** Kuma Push */
        head: operations["kuma_push_api_push__key__get_head"];
        patch?: never;
        trace?: never;
    };
    "/api/status": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** System Status */
        get: operations["system_status_api_status_get_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/health": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Health */
        get: operations["health_health_get_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/incidents": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List Incidents */
        get: operations["list_incidents_incidents_get_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/monitors": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** List Monitors */
        get: operations["list_monitors_monitors_get_get"];
        put?: never;
        /** Create Monitor */
        post: operations["create_monitor_monitors_post_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/monitors/{monitor_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Get Monitor */
        get: operations["get_monitor_monitors__monitor_id__get_get"];
        put?: never;
        post?: never;
        /** Delete Monitor */
        delete: operations["delete_monitor_monitors__monitor_id__delete_delete"];
        options?: never;
        head?: never;
        /** Update Monitor */
        patch: operations["update_monitor_monitors__monitor_id__patch_patch"];
        trace?: never;
    };
    "/monitors/{monitor_id}/checks": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Monitor Checks */
        get: operations["monitor_checks_monitors__monitor_id__checks_get_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/monitors/{monitor_id}/push-runs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Monitor Push Runs */
        get: operations["monitor_push_runs_monitors__monitor_id__push_runs_get_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/monitors/{monitor_id}/uptime": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Monitor Uptime */
        get: operations["monitor_uptime_monitors__monitor_id__uptime_get_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/monitors/bulk": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Bulk Pause Resume */
        post: operations["bulk_pause_resume_monitors_bulk_post_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/monitors/test": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Test Monitor
         * @description Runs one check with these settings now and shows the result; nothing is stored.
         */
        post: operations["test_monitor_monitors_test_post_post"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/monitors/types": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Monitor Types */
        get: operations["monitor_types_monitors_types_get_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/monitors/uptime": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** All Uptime */
        get: operations["all_uptime_monitors_uptime_get_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/ping/{key}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Ping Success */
        get: operations["ping_success_ping__key__get_get"];
        put?: never;
        /** Ping Success */
        post: operations["ping_success_ping__key__get_post"];
        delete?: never;
        options?: never;
        /** Ping Success */
        head: operations["ping_success_ping__key__get_head"];
        patch?: never;
        trace?: never;
    };
    "/ping/{key}/{action}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Ping Action */
        get: operations["ping_action_ping__key___action__get_get"];
        put?: never;
        /** Ping Action */
        post: operations["ping_action_ping__key___action__get_post"];
        delete?: never;
        options?: never;
        /** Ping Action */
        head: operations["ping_action_ping__key___action__get_head"];
        patch?: never;
        trace?: never;
    };
    "/ready": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Ready */
        get: operations["ready_ready_get_get"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        /** BulkAction */
        BulkAction: {
            /** Active */
            active: boolean;
            /** Ids */
            ids: number[];
        };
        /** BulkResult */
        BulkResult: {
            /** Updated */
            updated: number;
        };
        /** CheckPublic */
        CheckPublic: {
            /**
             * Checked At
             * Format: date-time
             */
            checked_at: string;
            /** Details */
            details: {
                [key: string]: unknown;
            };
            /** Error */
            error: string | null;
            /** Response Ms */
            response_ms: number | null;
            /**
             * Status
             * @enum {string}
             */
            status: "pending" | "up" | "degraded" | "down" | "unreachable" | "paused";
            /** Status Code */
            status_code: number | null;
        };
        /**
         * CheckResultPublic
         * @description What "test now" shows: one check run before saving, nothing stored.
         */
        CheckResultPublic: {
            /** Details */
            details: {
                [key: string]: unknown;
            };
            /** Error */
            error: string | null;
            /** Metrics */
            metrics: {
                [key: string]: number;
            };
            /** Response Ms */
            response_ms: number | null;
            /**
             * Status
             * @enum {string}
             */
            status: "pending" | "up" | "degraded" | "down" | "unreachable" | "paused";
        };
        /** Envelope[list[CheckPublic]] */
        Envelope_list_CheckPublic__: {
            /** Data */
            data: components["schemas"]["CheckPublic"][];
            /** Message */
            message?: string | null;
            /**
             * Status
             * @default success
             * @enum {string}
             */
            status: "success" | "error";
            /**
             * Timestamp
             * Format: date-time
             */
            timestamp: string;
        };
        /** Envelope[list[IncidentPublic]] */
        Envelope_list_IncidentPublic__: {
            /** Data */
            data: components["schemas"]["IncidentPublic"][];
            /** Message */
            message?: string | null;
            /**
             * Status
             * @default success
             * @enum {string}
             */
            status: "success" | "error";
            /**
             * Timestamp
             * Format: date-time
             */
            timestamp: string;
        };
        /** Envelope[list[MonitorPublic]] */
        Envelope_list_MonitorPublic__: {
            /** Data */
            data: components["schemas"]["MonitorPublic"][];
            /** Message */
            message?: string | null;
            /**
             * Status
             * @default success
             * @enum {string}
             */
            status: "success" | "error";
            /**
             * Timestamp
             * Format: date-time
             */
            timestamp: string;
        };
        /** Envelope[MonitorPublic] */
        Envelope_MonitorPublic_: {
            data: components["schemas"]["MonitorPublic"];
            /** Message */
            message?: string | null;
            /**
             * Status
             * @default success
             * @enum {string}
             */
            status: "success" | "error";
            /**
             * Timestamp
             * Format: date-time
             */
            timestamp: string;
        };
        /** Envelope[StatusSummary] */
        Envelope_StatusSummary_: {
            data: components["schemas"]["StatusSummary"];
            /** Message */
            message?: string | null;
            /**
             * Status
             * @default success
             * @enum {string}
             */
            status: "success" | "error";
            /**
             * Timestamp
             * Format: date-time
             */
            timestamp: string;
        };
        /** HTTPValidationError */
        HTTPValidationError: {
            /** Detail */
            detail?: components["schemas"]["ValidationError"][] | string;
        };
        /** IncidentPublic */
        IncidentPublic: {
            /** Duration */
            duration: string;
            /** Duration Seconds */
            duration_seconds: number | null;
            /** Error */
            error: string | null;
            /** Id */
            id: number;
            /** Monitor Id */
            monitor_id: number;
            /** Monitor Name */
            monitor_name: string;
            /** Resolved At */
            resolved_at: string | null;
            /**
             * Started At
             * Format: date-time
             */
            started_at: string;
        };
        /** MonitorCreate */
        MonitorCreate: {
            /**
             * Active
             * @default true
             */
            active: boolean;
            /** Config */
            config?: {
                [key: string]: unknown;
            };
            /**
             * Description
             * @default
             */
            description: string;
            /**
             * Interval Seconds
             * @default 60
             */
            interval_seconds: number;
            /** Labels */
            labels?: {
                [key: string]: string;
            };
            /** Name */
            name: string;
            /** Parent Id */
            parent_id?: number | null;
            /**
             * Retries
             * @default 0
             */
            retries: number;
            /** Retry Interval Seconds */
            retry_interval_seconds?: number | null;
            /**
             * Target
             * @default
             */
            target: string;
            /**
             * Timeout Seconds
             * @default 10
             */
            timeout_seconds: number;
            /** Type */
            type: string;
            /**
             * Upside Down
             * @default false
             */
            upside_down: boolean;
        };
        /** MonitorPublic */
        MonitorPublic: {
            /** Active */
            active: boolean;
            /** Cert Expires At */
            cert_expires_at: string | null;
            /** Config */
            config: {
                [key: string]: unknown;
            };
            /**
             * Created At
             * Format: date-time
             */
            created_at: string;
            /** Description */
            description: string;
            /** Id */
            id: number;
            /** Interval Seconds */
            interval_seconds: number;
            /** Labels */
            labels: {
                [key: string]: string;
            };
            /** Last Check At */
            last_check_at: string | null;
            /** Last Error */
            last_error: string | null;
            /** Last Ping At */
            last_ping_at?: string | null;
            /** Last Response Ms */
            last_response_ms: number | null;
            /** Name */
            name: string;
            /** Parent Id */
            parent_id: number | null;
            /** Push Deadline */
            push_deadline?: string | null;
            /** Push Path */
            push_path?: string | null;
            /** Retries */
            retries: number;
            /** Retry Interval Seconds */
            retry_interval_seconds: number;
            /** Secret Fields */
            secret_fields: string[];
            /**
             * Status
             * @enum {string}
             */
            status: "pending" | "up" | "degraded" | "down" | "unreachable" | "paused";
            /**
             * Status Since
             * Format: date-time
             */
            status_since: string;
            /** Target */
            target: string;
            /** Timeout Seconds */
            timeout_seconds: number;
            /** Type */
            type: string;
            /** Upside Down */
            upside_down: boolean;
        };
        /** MonitorsPublic */
        MonitorsPublic: {
            /** Count */
            count: number;
            /** Data */
            data: components["schemas"]["MonitorPublic"][];
        };
        /** MonitorTypeInfo */
        MonitorTypeInfo: {
            /** Config Schema */
            config_schema: {
                [key: string]: unknown;
            };
            /** Secret Fields */
            secret_fields: string[];
            /** Target */
            target: string;
            /** Title */
            title: string;
            /** Type */
            type: string;
        };
        /** MonitorUpdate */
        MonitorUpdate: {
            /** Active */
            active?: boolean | null;
            /** Config */
            config?: {
                [key: string]: unknown;
            } | null;
            /** Description */
            description?: string | null;
            /** Interval Seconds */
            interval_seconds?: number | null;
            /** Labels */
            labels?: {
                [key: string]: string;
            } | null;
            /** Name */
            name?: string | null;
            /** Parent Id */
            parent_id?: number | null;
            /** Retries */
            retries?: number | null;
            /** Retry Interval Seconds */
            retry_interval_seconds?: number | null;
            /** Target */
            target?: string | null;
            /** Timeout Seconds */
            timeout_seconds?: number | null;
            /** Upside Down */
            upside_down?: boolean | null;
        };
        /** PushRunPublic */
        PushRunPublic: {
            /** Body */
            body: string;
            /** Duration Ms */
            duration_ms: number | null;
            /** Exit Status */
            exit_status: number | null;
            /** Kind */
            kind: string;
            /** Message */
            message: string | null;
            /**
             * Received At
             * Format: date-time
             */
            received_at: string;
        };
        /**
         * StatusSummary
         * @description Python Monitor's GET /api/status: the whole organization at a glance.
         */
        StatusSummary: {
            /** Active Monitors */
            active_monitors: number;
            /** By Status */
            by_status: {
                [key: string]: number;
            };
            /** Open Incidents */
            open_incidents: number;
            /**
             * Overall
             * @enum {string}
             */
            overall: "operational" | "degraded" | "outage" | "no monitors";
            /** Total Monitors */
            total_monitors: number;
            /** Uptime 24H */
            uptime_24h: number | null;
        };
        /** UptimeDay */
        UptimeDay: {
            /** Checks */
            checks: number;
            /** Day */
            day: string;
            /** Down */
            down: number;
            /** Uptime */
            uptime: number | null;
        };
        /** UptimePublic */
        UptimePublic: {
            /** Avg Response Ms */
            avg_response_ms: {
                [key: string]: number | null;
            };
            /** Days */
            days: components["schemas"]["UptimeDay"][];
            /** Monitor Id */
            monitor_id: number;
            /** Uptime */
            uptime: {
                [key: string]: number | null;
            };
        };
        /** ValidationError */
        ValidationError: {
            /** Context */
            ctx?: Record<string, never>;
            /** Input */
            input?: unknown;
            /** Location */
            loc: (string | number)[];
            /** Message */
            msg: string;
            /** Error Type */
            type: string;
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    recent_incidents_api_incidents_get_get: {
        parameters: {
            query?: {
                limit?: number;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Envelope_list_IncidentPublic__"];
                };
            };
            /** @description Validation Error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
        };
    };
    all_monitors_api_monitors_get_get: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Envelope_list_MonitorPublic__"];
                };
            };
        };
    };
    monitor_details_api_monitors__monitor_id__get_get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                monitor_id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Envelope_MonitorPublic_"];
                };
            };
            /** @description Validation Error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
        };
    };
    monitor_history_api_monitors__monitor_id__checks_get_get: {
        parameters: {
            query?: {
                hours?: number;
            };
            header?: never;
            path: {
                monitor_id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Envelope_list_CheckPublic__"];
                };
            };
            /** @description Validation Error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
        };
    };
    kuma_push_api_push__key__get_get: {
        parameters: {
            query?: {
                msg?: string | null;
                ping?: number | null;
                status?: "up" | "down";
            };
            header?: never;
            path: {
                key: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description Validation Error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
        };
    };
    kuma_push_api_push__key__get_post: {
        parameters: {
            query?: {
                msg?: string | null;
                ping?: number | null;
                status?: "up" | "down";
            };
            header?: never;
            path: {
                key: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description Validation Error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
        };
    };
    kuma_push_api_push__key__get_head: {
        parameters: {
            query?: {
                msg?: string | null;
                ping?: number | null;
                status?: "up" | "down";
            };
            header?: never;
            path: {
                key: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description Validation Error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
        };
    };
    system_status_api_status_get_get: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Envelope_StatusSummary_"];
                };
            };
        };
    };
    health_health_get_get: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        [key: string]: string;
                    };
                };
            };
        };
    };
    list_incidents_incidents_get_get: {
        parameters: {
            query?: {
                limit?: number;
                monitor_id?: number | null;
                open?: boolean | null;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["IncidentPublic"][];
                };
            };
            /** @description Validation Error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
        };
    };
    list_monitors_monitors_get_get: {
        parameters: {
            query?: {
                label?: string | null;
                search?: string | null;
                status?: ("pending" | "up" | "degraded" | "down" | "unreachable" | "paused") | null;
                type?: string | null;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MonitorsPublic"];
                };
            };
            /** @description Validation Error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
        };
    };
    create_monitor_monitors_post_post: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["MonitorCreate"];
            };
        };
        responses: {
            /** @description Successful Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MonitorPublic"];
                };
            };
            /** @description Validation Error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
        };
    };
    get_monitor_monitors__monitor_id__get_get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                monitor_id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MonitorPublic"];
                };
            };
            /** @description Validation Error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
        };
    };
    delete_monitor_monitors__monitor_id__delete_delete: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                monitor_id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description Validation Error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
        };
    };
    update_monitor_monitors__monitor_id__patch_patch: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                monitor_id: number;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["MonitorUpdate"];
            };
        };
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MonitorPublic"];
                };
            };
            /** @description Validation Error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
        };
    };
    monitor_checks_monitors__monitor_id__checks_get_get: {
        parameters: {
            query?: {
                hours?: number;
                limit?: number;
            };
            header?: never;
            path: {
                monitor_id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CheckPublic"][];
                };
            };
            /** @description Validation Error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
        };
    };
    monitor_push_runs_monitors__monitor_id__push_runs_get_get: {
        parameters: {
            query?: {
                limit?: number;
            };
            header?: never;
            path: {
                monitor_id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PushRunPublic"][];
                };
            };
            /** @description Validation Error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
        };
    };
    monitor_uptime_monitors__monitor_id__uptime_get_get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                monitor_id: number;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UptimePublic"];
                };
            };
            /** @description Validation Error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
        };
    };
    bulk_pause_resume_monitors_bulk_post_post: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["BulkAction"];
            };
        };
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BulkResult"];
                };
            };
            /** @description Validation Error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
        };
    };
    test_monitor_monitors_test_post_post: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["MonitorCreate"];
            };
        };
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CheckResultPublic"];
                };
            };
            /** @description Validation Error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
        };
    };
    monitor_types_monitors_types_get_get: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MonitorTypeInfo"][];
                };
            };
        };
    };
    all_uptime_monitors_uptime_get_get: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UptimePublic"][];
                };
            };
        };
    };
    ping_success_ping__key__get_get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                key: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description Validation Error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
        };
    };
    ping_success_ping__key__get_post: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                key: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description Validation Error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
        };
    };
    ping_success_ping__key__get_head: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                key: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description Validation Error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
        };
    };
    ping_action_ping__key___action__get_get: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                action: string;
                key: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description Validation Error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
        };
    };
    ping_action_ping__key___action__get_post: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                action: string;
                key: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description Validation Error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
        };
    };
    ping_action_ping__key___action__get_head: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                action: string;
                key: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        [key: string]: unknown;
                    };
                };
            };
            /** @description Validation Error */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["HTTPValidationError"];
                };
            };
        };
    };
    ready_ready_get_get: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Successful Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": unknown;
                };
            };
        };
    };
}
