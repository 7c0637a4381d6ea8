import { useQuery } from "@tanstack/react-query";
import { Link, useNavigate } from "@tanstack/react-router";
import { Building2, Check, LogOut, UserRound } from "lucide-react";
import { Button } from "@/components/ui/button";
import {
  DropdownMenu,
  DropdownMenuContent,
  DropdownMenuItem,
  DropdownMenuLabel,
  DropdownMenuSeparator,
  DropdownMenuTrigger,
} from "@/components/ui/dropdown-menu";
import { useLogout, useSwitchOrganization } from "../api/mutations";
import { meQuery } from "../api/queries";
import { roleLabel, t } from "../messages";

/** The account menu of the top bar: who is signed in, organization switch, profile, sign-out. */
export function UserMenu() {
  const { data: me } = useQuery(meQuery());
  const logout = useLogout();
  const switchOrg = useSwitchOrganization();
  const navigate = useNavigate();
  const initial = (me?.username ?? "?").slice(0, 1).toUpperCase();
  return (
    <DropdownMenu>
      <DropdownMenuTrigger asChild>
        <Button variant="ghost" size="icon" aria-label={t("userMenu")} className="rounded-full">
          <span className="flex size-8 items-center justify-center rounded-full bg-primary text-sm font-semibold text-primary-foreground">
            {initial}
          </span>
        </Button>
      </DropdownMenuTrigger>
      <DropdownMenuContent align="end" className="w-64">
        <DropdownMenuLabel>
          <span className="block truncate text-sm font-medium text-foreground">{me?.username}</span>
          <span className="block truncate">{me?.email}</span>
        </DropdownMenuLabel>
        <DropdownMenuSeparator />
        <DropdownMenuLabel>{t("switchOrganization")}</DropdownMenuLabel>
        {(me?.organizations ?? []).map((org) => (
          <DropdownMenuItem
            key={org.id}
            disabled={org.id === me?.org_id || switchOrg.isPending}
            onSelect={() => switchOrg.mutate(org.id, { onSuccess: () => void navigate({ to: "/hosts" }) })}
          >
            {org.id === me?.org_id ? <Check aria-hidden="true" /> : <Building2 aria-hidden="true" />}
            <span className="truncate">{org.name}</span>
            <span className="ml-auto text-xs text-muted-foreground">{roleLabel(org.role)}</span>
          </DropdownMenuItem>
        ))}
        <DropdownMenuSeparator />
        <DropdownMenuItem asChild>
          <Link to="/profile">
            <UserRound aria-hidden="true" />
            {t("profile")}
          </Link>
        </DropdownMenuItem>
        <DropdownMenuItem onSelect={() => logout.mutate(false, { onSettled: () => void navigate({ to: "/login" }) })}>
          <LogOut aria-hidden="true" />
          {t("signOut")}
        </DropdownMenuItem>
      </DropdownMenuContent>
    </DropdownMenu>
  );
}
