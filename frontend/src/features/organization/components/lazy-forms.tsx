import { lazy, type ReactNode, Suspense } from "react";
import { Skeleton } from "@/components/ui/skeleton";

const forms = () => import("./forms");
export const RenameForm = lazy(() => forms().then((module) => ({ default: module.RenameForm })));
export const InviteForm = lazy(() => forms().then((module) => ({ default: module.InviteForm })));
export const NewOrganizationForm = lazy(() => forms().then((module) => ({ default: module.NewOrganizationForm })));

/** Where a form appears once its code has arrived (a moment after the page). */
export function FormSlot({ children, height = "h-24" }: { children: ReactNode; height?: string }) {
  return <Suspense fallback={<Skeleton className={height} />}>{children}</Suspense>;
}
