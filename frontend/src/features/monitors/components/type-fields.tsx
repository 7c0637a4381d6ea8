// The settings of each monitor type (probe_service/checks/<type>.py), one fieldset each.
import type { ReactNode } from "react";
import { useWatch } from "react-hook-form";
import { AUTH_KINDS, BODY_TYPES, BOUNDS, DNS_RCODES, DNS_RECORD_TYPES, HTTP_METHODS, JSON_OPERATORS, PUSH_SCHEDULES } from "../api/schemas";
import type { MonitorKind } from "../api/types";
import { t } from "../messages";
import { CheckboxField, type MonitorForm, PairsEditor, SelectField, TextAreaField, TextField } from "./form-fields";

const same = <T extends string>(values: readonly T[]) => values.map((value) => [value, value] as const);

function Group({ title, children }: { title: string; children: ReactNode }) {
  return (
    <fieldset className="grid gap-4 rounded-md border p-4">
      <legend className="px-1 text-sm font-semibold">{title}</legend>
      {children}
    </fieldset>
  );
}

function HttpFields({ form }: { form: MonitorForm }) {
  const auth = useWatch({ control: form.control, name: "http.auth" });
  const method = useWatch({ control: form.control, name: "http.method" });
  const secrets = useWatch({ control: form.control, name: "secrets_set" });
  return (
    <>
      <Group title={t("groupRequest")}>
        <div className="grid gap-4 sm:grid-cols-2">
          <SelectField form={form} name="http.method" label={t("method")} options={same(HTTP_METHODS)} />
          <TextField form={form} name="http.max_redirects" label={t("maxRedirects")} hint={t("maxRedirectsHint", BOUNDS.redirects)} inputMode="numeric" />
        </div>
        <PairsEditor form={form} name="http.headers" legend={t("headers")} keyLabel={t("headerName")} valueLabel={t("headerValue")} keyPlaceholder="Accept" valuePlaceholder="application/json" max={BOUNDS.headers} addLabel={t("addHeader")} />
        {method !== "GET" && method !== "HEAD" ? (
          <>
            <SelectField form={form} name="http.body_type" label={t("bodyType")} options={BODY_TYPES.map((kind) => [kind, t(`body_${kind}`)] as const)} />
            <TextAreaField form={form} name="http.body" label={t("body")} hint={t("bodyHint")} />
          </>
        ) : null}
        <SelectField form={form} name="http.auth" label={t("auth")} options={AUTH_KINDS.map((kind) => [kind, t(`auth_${kind}`)] as const)} />
        {auth === "basic" ? (
          <div className="grid gap-4 sm:grid-cols-2">
            <TextField form={form} name="http.username" label={t("username")} />
            <TextField form={form} name="http.password" label={t("password")} type="password" autoComplete="new-password" hint={secrets.includes("password") ? t("secretKept") : undefined} />
          </div>
        ) : null}
        {auth === "bearer" ? <TextField form={form} name="http.token" label={t("token")} type="password" autoComplete="new-password" hint={secrets.includes("token") ? t("secretKept") : undefined} /> : null}
        <CheckboxField form={form} name="http.ignore_tls_errors" label={t("ignoreTls")} hint={t("ignoreTlsHint")} />
      </Group>
      <Group title={t("groupConditions")}>
        <TextField form={form} name="http.accepted_status_codes" label={t("acceptedCodes")} hint={t("acceptedCodesHint")} />
        <div className="grid gap-4 sm:grid-cols-[2fr_1fr]">
          <TextField form={form} name="http.keyword" label={t("keyword")} hint={t("keywordHint")} />
          <div className="sm:pt-7">
            <CheckboxField form={form} name="http.keyword_absent" label={t("keywordAbsent")} />
          </div>
        </div>
        <div className="grid gap-4 sm:grid-cols-[2fr_1fr_2fr]">
          <TextField form={form} name="http.json_query" label={t("jsonQuery")} hint={t("jsonQueryHint")} placeholder="status.database" />
          <SelectField form={form} name="http.json_operator" label={t("jsonOperator")} options={same(JSON_OPERATORS)} />
          <TextField form={form} name="http.json_expected" label={t("jsonExpected")} placeholder="ok" />
        </div>
        <div className="grid gap-4 sm:grid-cols-2">
          <TextField form={form} name="http.degraded_above_ms" label={t("degradedAbove")} hint={t("degradedAboveHint")} inputMode="numeric" />
          <TextField form={form} name="http.cert_warning_days" label={t("certWarningDays")} hint={t("certWarningDaysHint")} placeholder="30, 14, 7" />
        </div>
      </Group>
    </>
  );
}

function TcpFields({ form }: { form: MonitorForm }) {
  return (
    <Group title={t("type_tcp")}>
      <TextField form={form} name="tcp.port" label={t("port")} inputMode="numeric" placeholder="5432" />
      <CheckboxField form={form} name="tcp.tls" label={t("tcpTls")} hint={t("tcpTlsHint")} />
      <CheckboxField form={form} name="tcp.ignore_tls_errors" label={t("ignoreTls")} hint={t("tcpIgnoreTlsHint")} />
    </Group>
  );
}

function PingFields({ form }: { form: MonitorForm }) {
  return (
    <Group title={t("type_ping")}>
      <div className="grid gap-4 sm:grid-cols-2">
        <TextField form={form} name="ping.count" label={t("pingCount")} hint={t("pingCountHint", BOUNDS.pingCount)} inputMode="numeric" />
        <TextField form={form} name="ping.packet_loss_max_percent" label={t("lossMax")} hint={t("lossMaxHint")} inputMode="decimal" />
      </div>
    </Group>
  );
}

function DnsFields({ form }: { form: MonitorForm }) {
  return (
    <Group title={t("type_dns")}>
      <div className="grid gap-4 sm:grid-cols-3">
        <SelectField form={form} name="dns.record_type" label={t("recordType")} options={same(DNS_RECORD_TYPES)} />
        <TextField form={form} name="dns.resolver" label={t("resolver")} hint={t("resolverHint")} placeholder="1.1.1.1" />
        <TextField form={form} name="dns.port" label={t("port")} inputMode="numeric" />
      </div>
      <TextAreaField form={form} name="dns.expected_values" label={t("expectedValues")} hint={t("expectedValuesHint")} rows={3} />
      <SelectField form={form} name="dns.expected_rcode" label={t("expectedRcode")} options={same(DNS_RCODES)} />
    </Group>
  );
}

function TlsFields({ form }: { form: MonitorForm }) {
  return (
    <Group title={t("type_tls")}>
      <div className="grid gap-4 sm:grid-cols-2">
        <TextField form={form} name="tls.port" label={t("port")} inputMode="numeric" />
        <TextField form={form} name="tls.warning_days" label={t("warningDays")} hint={t("warningDaysHint")} placeholder="30, 14, 7" />
      </div>
      <CheckboxField form={form} name="tls.check_hostname" label={t("checkHostname")} hint={t("checkHostnameHint")} />
    </Group>
  );
}

function PushFields({ form }: { form: MonitorForm }) {
  const schedule = useWatch({ control: form.control, name: "push.schedule" });
  return (
    <Group title={t("groupExpect")}>
      <SelectField form={form} name="push.schedule" label={t("scheduleKind")} options={PUSH_SCHEDULES.map((kind) => [kind, t(`schedule_${kind}`)] as const)} />
      {schedule === "period" ? (
        <TextField form={form} name="push.period_seconds" label={t("periodSeconds")} hint={t("periodHint")} inputMode="numeric" />
      ) : (
        <div className="grid gap-4 sm:grid-cols-2">
          <TextField form={form} name="push.cron" label={t("cron")} hint={t("cronHint")} className="font-mono" />
          <TextField form={form} name="push.timezone" label={t("timezone")} hint={t("timezoneHint")} />
        </div>
      )}
      <TextField form={form} name="push.grace_seconds" label={t("graceSeconds")} hint={t("graceHint")} inputMode="numeric" />
    </Group>
  );
}

export const TYPE_FIELDS: Record<MonitorKind, (props: { form: MonitorForm }) => ReactNode> = {
  http: HttpFields,
  tcp: TcpFields,
  ping: PingFields,
  dns: DnsFields,
  tls: TlsFields,
  push: PushFields,
};
