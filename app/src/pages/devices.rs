//! `/account/devices`: registered devices, up to the plan's limit; removing one signs
//! it out.

use crate::api::account::{load_devices, RemoveDevice};
use crate::model::device::Device;
use crate::pages::account::{AccountNav, SignedOut};
use crate::ui::badge::Badge;
use crate::ui::button::{Button, ButtonKind};
use crate::ui::card::Card;
use crate::ui::form::{error_text, FormError};
use crate::ui::format::date;
use crate::ui::layout::PageHeader;
use leptos::prelude::*;

#[component]
pub fn DevicesPage() -> impl IntoView {
    let remove = ServerAction::<RemoveDevice>::new();
    let devices = Resource::new(move || remove.version().get(), |_| load_devices());
    view! {
        <PageHeader title="Devices" lead="The TVs, phones and browsers registered to watch on your account."/>
        <AccountNav/>
        <Transition fallback=|| view! { <p class="text-slate-500 dark:text-slate-400">"Loading devices…"</p> }>
            {move || devices.get().map(|result| match result {
                Ok(list) => view! {
                    <div class="max-w-3xl">
                        <Card title=format!("{} of {} devices", list.data.len(), list.max_devices)>
                            {if list.data.is_empty() {
                                view! { <p data-testid="no-devices">"No device is registered yet. Apps register themselves when you sign in on them."</p> }.into_any()
                            } else {
                                view! {
                                    <ul data-testid="devices" class="divide-y divide-slate-200 dark:divide-slate-800">
                                        {list.data.into_iter().map(|device| view! { <DeviceRow device remove/> }).collect_view()}
                                    </ul>
                                }.into_any()
                            }}
                            <FormError result=remove.value()/>
                        </Card>
                    </div>
                }.into_any(),
                Err(e) => view! { <SignedOut error=error_text(&e)/> }.into_any(),
            })}
        </Transition>
    }
}

#[component]
fn DeviceRow(device: Device, remove: ServerAction<RemoveDevice>) -> impl IntoView {
    view! {
        <li class="flex flex-wrap items-center justify-between gap-3 py-3">
            <div>
                <span class="font-medium text-slate-900 dark:text-white">{device.name.clone()}</span>
                <span class="ml-2"><Badge status=device.platform.as_str()/></span>
                {device.current.then(|| view! { <span class="ml-1"><Badge status="this device"/></span> })}
                <p class="text-xs text-slate-500 dark:text-slate-400">{format!("Registered {} · last seen {}", date(device.registered_at), date(device.last_seen_at))}</p>
            </div>
            <ActionForm action=remove>
                <input type="hidden" name="id" value=device.id.to_string()/>
                <Button button_type="submit" kind=ButtonKind::Secondary pending=remove.pending()>{format!("Sign out {}", device.name)}</Button>
            </ActionForm>
        </li>
    }
}
