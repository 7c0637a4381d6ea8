import { getRouteApi, Link } from "@tanstack/react-router";
import { CalendarRange, Cpu } from "lucide-react";
import { type SyntheticEvent, useState } from "react";
import { Button, buttonVariants } from "@/components/ui/button";
import { Dialog, DialogContent, DialogTrigger } from "@/components/ui/dialog";
import { FormField } from "@/components/ui/form-field";
import { Input } from "@/components/ui/input";
import { formatDateTime } from "@/lib/i18n/format";
import { cn } from "@/lib/utils";
import { customSpan, fromLocalInput, RANGES, type RangeKey, type ResolvedRange, toLocalInput } from "../model/range";
import { t } from "../messages";

const route = getRouteApi("/_app/hosts/$agentId");
const PRESETS = RANGES.filter((key): key is Exclude<RangeKey, "custom"> => key !== "custom");

const segment =
  "inline-flex h-8 items-center rounded-md px-2.5 text-sm font-medium text-muted-foreground hover:text-foreground data-[selected=true]:bg-card data-[selected=true]:text-foreground data-[selected=true]:shadow-xs";

/** Live, 1 h … 30 d and a custom range, as links (the range lives in the URL), and the per-core switch. */
export function RangeBar({ range, perCore }: { range: ResolvedRange; perCore: boolean }) {
  const navigate = route.useNavigate();
  return (
    <div className="flex flex-wrap items-center gap-2">
      <nav aria-label={t("timeRange")} className="flex max-w-full flex-wrap items-center gap-1 rounded-lg bg-muted p-1">
        {PRESETS.map((key) => (
          <Link
            key={key}
            from="/hosts/$agentId"
            to="."
            search={(prev) => ({ ...prev, range: key === "live" ? undefined : key, from: undefined, to: undefined })}
            // Exactly this search is "the current page" (the router sets aria-current then).
            activeOptions={{ exact: true }}
            data-selected={range.key === key}
            title={t(`rangeLong_${key}`)}
            className={segment}
          >
            {key === "live" ? <span aria-hidden="true" className="mr-1.5 size-2 rounded-full bg-ok" /> : null}
            {t(`range_${key}`)}
          </Link>
        ))}
        <CustomRange range={range} />
      </nav>
      <Button
        variant="outline"
        size="sm"
        aria-pressed={perCore}
        className="aria-pressed:border-primary aria-pressed:bg-primary/10"
        onClick={() => void navigate({ search: (prev) => ({ ...prev, cores: perCore ? undefined : true }), replace: true })}
      >
        <Cpu aria-hidden="true" />
        {t("perCore")}
      </Button>
      <p className="hidden text-xs text-muted-foreground md:block">{t("zoomHint")}</p>
      {range.key === "custom" ? (
        <p className="w-full text-sm text-muted-foreground" data-testid="custom-range">
          {formatDateTime(range.from)} – {formatDateTime(range.to)}
        </p>
      ) : null}
    </div>
  );
}

function CustomRange({ range }: { range: ResolvedRange }) {
  const navigate = route.useNavigate();
  const [open, setOpen] = useState(false);
  const [from, setFrom] = useState("");
  const [to, setTo] = useState("");
  const [error, setError] = useState<string | undefined>();

  const onOpenChange = (next: boolean) => {
    if (next) {
      const span = customSpan(range);
      setFrom(toLocalInput(span.from));
      setTo(toLocalInput(span.to));
      setError(undefined);
    }
    setOpen(next);
  };

  const submit = (event: SyntheticEvent<HTMLFormElement>) => {
    event.preventDefault();
    const start = fromLocalInput(from);
    const stop = fromLocalInput(to);
    if (start === null || stop === null) return setError(t("rangeIncomplete"));
    if (start >= stop) return setError(t("rangeInvalid"));
    setOpen(false);
    void navigate({ search: (prev) => ({ ...prev, range: "custom", from: start, to: stop }) });
  };

  return (
    <Dialog open={open} onOpenChange={onOpenChange}>
      <DialogTrigger className={cn(segment, "gap-1.5")} data-selected={range.key === "custom"} aria-current={range.key === "custom" ? "true" : undefined}>
        <CalendarRange className="size-4" aria-hidden="true" />
        {t("range_custom")}
      </DialogTrigger>
      <DialogContent title={t("customRange")} description={t("customRangeHint")}>
        <form className="grid gap-4" onSubmit={submit} noValidate>
          <div className="grid gap-4 sm:grid-cols-2">
            <FormField label={t("from")}>
              <Input type="datetime-local" value={from} onChange={(e) => setFrom(e.target.value)} required />
            </FormField>
            <FormField label={t("to")} error={error}>
              <Input type="datetime-local" value={to} onChange={(e) => setTo(e.target.value)} required />
            </FormField>
          </div>
          <div className="flex justify-end">
            <button type="submit" className={buttonVariants()}>
              {t("apply")}
            </button>
          </div>
        </form>
      </DialogContent>
    </Dialog>
  );
}
