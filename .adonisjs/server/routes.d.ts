import '@adonisjs/core/types/http'

type ParamValue = string | number | bigint | boolean

export type ScannedRoutes = {
  ALL: {
    'accounts.index': { paramsTuple: [ParamValue]; params: {'workspace': ParamValue} }
    'accounts.connect': { paramsTuple: [ParamValue,ParamValue]; params: {'workspace': ParamValue,'plugin': ParamValue} }
    'accounts.check': { paramsTuple: [ParamValue,ParamValue]; params: {'workspace': ParamValue,'plugin': ParamValue} }
    'accounts.pick.show': { paramsTuple: [ParamValue,ParamValue]; params: {'workspace': ParamValue,'pending': ParamValue} }
    'accounts.pick.store': { paramsTuple: [ParamValue,ParamValue]; params: {'workspace': ParamValue,'pending': ParamValue} }
    'accounts.reconnect': { paramsTuple: [ParamValue,ParamValue]; params: {'workspace': ParamValue,'id': ParamValue} }
    'accounts.destroy': { paramsTuple: [ParamValue,ParamValue]; params: {'workspace': ParamValue,'id': ParamValue} }
    'oauth.callback': { paramsTuple: [ParamValue]; params: {'plugin': ParamValue} }
    'admin.plugins.check': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'compose.create': { paramsTuple: [ParamValue]; params: {'workspace': ParamValue} }
    'compose.preview': { paramsTuple: [ParamValue]; params: {'workspace': ParamValue} }
    'posts.store': { paramsTuple: [ParamValue]; params: {'workspace': ParamValue} }
    'posts.edit': { paramsTuple: [ParamValue,ParamValue]; params: {'workspace': ParamValue,'post': ParamValue} }
    'posts.update': { paramsTuple: [ParamValue,ParamValue]; params: {'workspace': ParamValue,'post': ParamValue} }
    'posts.index': { paramsTuple: [ParamValue]; params: {'workspace': ParamValue} }
    'posts.show': { paramsTuple: [ParamValue,ParamValue]; params: {'workspace': ParamValue,'post': ParamValue} }
    'posts.destroy': { paramsTuple: [ParamValue,ParamValue]; params: {'workspace': ParamValue,'post': ParamValue} }
    'posts.approve': { paramsTuple: [ParamValue,ParamValue]; params: {'workspace': ParamValue,'post': ParamValue} }
    'posts.reject': { paramsTuple: [ParamValue,ParamValue]; params: {'workspace': ParamValue,'post': ParamValue} }
    'posts.reschedule': { paramsTuple: [ParamValue,ParamValue]; params: {'workspace': ParamValue,'post': ParamValue} }
    'posts.unschedule': { paramsTuple: [ParamValue,ParamValue]; params: {'workspace': ParamValue,'post': ParamValue} }
    'targets.retry': { paramsTuple: [ParamValue,ParamValue,ParamValue]; params: {'workspace': ParamValue,'post': ParamValue,'target': ParamValue} }
    'targets.resolve': { paramsTuple: [ParamValue,ParamValue,ParamValue]; params: {'workspace': ParamValue,'post': ParamValue,'target': ParamValue} }
    'media.index': { paramsTuple: [ParamValue]; params: {'workspace': ParamValue} }
    'media.store': { paramsTuple: [ParamValue]; params: {'workspace': ParamValue} }
    'media.update': { paramsTuple: [ParamValue,ParamValue]; params: {'workspace': ParamValue,'media': ParamValue} }
    'media.destroy': { paramsTuple: [ParamValue,ParamValue]; params: {'workspace': ParamValue,'media': ParamValue} }
    'ai.text.store': { paramsTuple: [ParamValue]; params: {'workspace': ParamValue} }
    'ai.images.store': { paramsTuple: [ParamValue]; params: {'workspace': ParamValue} }
    'ai.images.show': { paramsTuple: [ParamValue,ParamValue]; params: {'workspace': ParamValue,'generation': ParamValue} }
    'usage.show': { paramsTuple: [ParamValue]; params: {'workspace': ParamValue} }
    'usage.csv': { paramsTuple: [ParamValue]; params: {'workspace': ParamValue} }
    'usage.budget': { paramsTuple: [ParamValue]; params: {'workspace': ParamValue} }
    'calendar.show': { paramsTuple: [ParamValue]; params: {'workspace': ParamValue} }
    'calendar.edit': { paramsTuple: [ParamValue,ParamValue]; params: {'workspace': ParamValue,'post': ParamValue} }
    'calendar.move': { paramsTuple: [ParamValue,ParamValue]; params: {'workspace': ParamValue,'post': ParamValue} }
    'health': { paramsTuple?: []; params?: {} }
    'ready': { paramsTuple?: []; params?: {} }
    'setup.create': { paramsTuple?: []; params?: {} }
    'setup.store': { paramsTuple?: []; params?: {} }
    'session.create': { paramsTuple?: []; params?: {} }
    'session.store': { paramsTuple?: []; params?: {} }
    'session.destroy': { paramsTuple?: []; params?: {} }
    'dashboard': { paramsTuple?: []; params?: {} }
    'workspaces.create': { paramsTuple?: []; params?: {} }
    'workspaces.store': { paramsTuple?: []; params?: {} }
    'workspaces.show': { paramsTuple: [ParamValue]; params: {'workspace': ParamValue} }
    'workspaces.edit': { paramsTuple: [ParamValue]; params: {'workspace': ParamValue} }
    'workspaces.update': { paramsTuple: [ParamValue]; params: {'workspace': ParamValue} }
    'workspaces.archive': { paramsTuple: [ParamValue]; params: {'workspace': ParamValue} }
    'workspaces.restore': { paramsTuple: [ParamValue]; params: {'workspace': ParamValue} }
    'members.index': { paramsTuple: [ParamValue]; params: {'workspace': ParamValue} }
    'members.store': { paramsTuple: [ParamValue]; params: {'workspace': ParamValue} }
    'members.update': { paramsTuple: [ParamValue,ParamValue]; params: {'workspace': ParamValue,'membership': ParamValue} }
    'members.destroy': { paramsTuple: [ParamValue,ParamValue]; params: {'workspace': ParamValue,'membership': ParamValue} }
    'admin.users.index': { paramsTuple?: []; params?: {} }
    'admin.users.create': { paramsTuple?: []; params?: {} }
    'admin.users.store': { paramsTuple?: []; params?: {} }
    'admin.users.edit': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'admin.users.deactivate': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'admin.users.activate': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'admin.users.password': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'admin.system.show': { paramsTuple?: []; params?: {} }
    'admin.queues': { paramsTuple?: []; params?: {} }
    'admin.queues.any': { paramsTuple: [...ParamValue[]]; params: {'*': ParamValue[]} }
    'admin.plugins.index': { paramsTuple?: []; params?: {} }
    'admin.plugins.edit': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'admin.plugins.update': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'media.show': { paramsTuple: [...ParamValue[]]; params: {'*': ParamValue[]} }
  }
  GET: {
    'accounts.index': { paramsTuple: [ParamValue]; params: {'workspace': ParamValue} }
    'accounts.connect': { paramsTuple: [ParamValue,ParamValue]; params: {'workspace': ParamValue,'plugin': ParamValue} }
    'accounts.pick.show': { paramsTuple: [ParamValue,ParamValue]; params: {'workspace': ParamValue,'pending': ParamValue} }
    'accounts.reconnect': { paramsTuple: [ParamValue,ParamValue]; params: {'workspace': ParamValue,'id': ParamValue} }
    'oauth.callback': { paramsTuple: [ParamValue]; params: {'plugin': ParamValue} }
    'compose.create': { paramsTuple: [ParamValue]; params: {'workspace': ParamValue} }
    'posts.edit': { paramsTuple: [ParamValue,ParamValue]; params: {'workspace': ParamValue,'post': ParamValue} }
    'posts.index': { paramsTuple: [ParamValue]; params: {'workspace': ParamValue} }
    'posts.show': { paramsTuple: [ParamValue,ParamValue]; params: {'workspace': ParamValue,'post': ParamValue} }
    'media.index': { paramsTuple: [ParamValue]; params: {'workspace': ParamValue} }
    'ai.images.show': { paramsTuple: [ParamValue,ParamValue]; params: {'workspace': ParamValue,'generation': ParamValue} }
    'usage.show': { paramsTuple: [ParamValue]; params: {'workspace': ParamValue} }
    'usage.csv': { paramsTuple: [ParamValue]; params: {'workspace': ParamValue} }
    'calendar.show': { paramsTuple: [ParamValue]; params: {'workspace': ParamValue} }
    'calendar.edit': { paramsTuple: [ParamValue,ParamValue]; params: {'workspace': ParamValue,'post': ParamValue} }
    'health': { paramsTuple?: []; params?: {} }
    'ready': { paramsTuple?: []; params?: {} }
    'setup.create': { paramsTuple?: []; params?: {} }
    'session.create': { paramsTuple?: []; params?: {} }
    'dashboard': { paramsTuple?: []; params?: {} }
    'workspaces.create': { paramsTuple?: []; params?: {} }
    'workspaces.show': { paramsTuple: [ParamValue]; params: {'workspace': ParamValue} }
    'workspaces.edit': { paramsTuple: [ParamValue]; params: {'workspace': ParamValue} }
    'members.index': { paramsTuple: [ParamValue]; params: {'workspace': ParamValue} }
    'admin.users.index': { paramsTuple?: []; params?: {} }
    'admin.users.create': { paramsTuple?: []; params?: {} }
    'admin.users.edit': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'admin.system.show': { paramsTuple?: []; params?: {} }
    'admin.queues': { paramsTuple?: []; params?: {} }
    'admin.queues.any': { paramsTuple: [...ParamValue[]]; params: {'*': ParamValue[]} }
    'admin.plugins.index': { paramsTuple?: []; params?: {} }
    'admin.plugins.edit': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'media.show': { paramsTuple: [...ParamValue[]]; params: {'*': ParamValue[]} }
  }
  HEAD: {
    'accounts.index': { paramsTuple: [ParamValue]; params: {'workspace': ParamValue} }
    'accounts.connect': { paramsTuple: [ParamValue,ParamValue]; params: {'workspace': ParamValue,'plugin': ParamValue} }
    'accounts.pick.show': { paramsTuple: [ParamValue,ParamValue]; params: {'workspace': ParamValue,'pending': ParamValue} }
    'accounts.reconnect': { paramsTuple: [ParamValue,ParamValue]; params: {'workspace': ParamValue,'id': ParamValue} }
    'oauth.callback': { paramsTuple: [ParamValue]; params: {'plugin': ParamValue} }
    'compose.create': { paramsTuple: [ParamValue]; params: {'workspace': ParamValue} }
    'posts.edit': { paramsTuple: [ParamValue,ParamValue]; params: {'workspace': ParamValue,'post': ParamValue} }
    'posts.index': { paramsTuple: [ParamValue]; params: {'workspace': ParamValue} }
    'posts.show': { paramsTuple: [ParamValue,ParamValue]; params: {'workspace': ParamValue,'post': ParamValue} }
    'media.index': { paramsTuple: [ParamValue]; params: {'workspace': ParamValue} }
    'ai.images.show': { paramsTuple: [ParamValue,ParamValue]; params: {'workspace': ParamValue,'generation': ParamValue} }
    'usage.show': { paramsTuple: [ParamValue]; params: {'workspace': ParamValue} }
    'usage.csv': { paramsTuple: [ParamValue]; params: {'workspace': ParamValue} }
    'calendar.show': { paramsTuple: [ParamValue]; params: {'workspace': ParamValue} }
    'calendar.edit': { paramsTuple: [ParamValue,ParamValue]; params: {'workspace': ParamValue,'post': ParamValue} }
    'health': { paramsTuple?: []; params?: {} }
    'ready': { paramsTuple?: []; params?: {} }
    'setup.create': { paramsTuple?: []; params?: {} }
    'session.create': { paramsTuple?: []; params?: {} }
    'dashboard': { paramsTuple?: []; params?: {} }
    'workspaces.create': { paramsTuple?: []; params?: {} }
    'workspaces.show': { paramsTuple: [ParamValue]; params: {'workspace': ParamValue} }
    'workspaces.edit': { paramsTuple: [ParamValue]; params: {'workspace': ParamValue} }
    'members.index': { paramsTuple: [ParamValue]; params: {'workspace': ParamValue} }
    'admin.users.index': { paramsTuple?: []; params?: {} }
    'admin.users.create': { paramsTuple?: []; params?: {} }
    'admin.users.edit': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'admin.system.show': { paramsTuple?: []; params?: {} }
    'admin.queues': { paramsTuple?: []; params?: {} }
    'admin.queues.any': { paramsTuple: [...ParamValue[]]; params: {'*': ParamValue[]} }
    'admin.plugins.index': { paramsTuple?: []; params?: {} }
    'admin.plugins.edit': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'media.show': { paramsTuple: [...ParamValue[]]; params: {'*': ParamValue[]} }
  }
  POST: {
    'accounts.check': { paramsTuple: [ParamValue,ParamValue]; params: {'workspace': ParamValue,'plugin': ParamValue} }
    'accounts.pick.store': { paramsTuple: [ParamValue,ParamValue]; params: {'workspace': ParamValue,'pending': ParamValue} }
    'admin.plugins.check': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'compose.preview': { paramsTuple: [ParamValue]; params: {'workspace': ParamValue} }
    'posts.store': { paramsTuple: [ParamValue]; params: {'workspace': ParamValue} }
    'posts.approve': { paramsTuple: [ParamValue,ParamValue]; params: {'workspace': ParamValue,'post': ParamValue} }
    'posts.reject': { paramsTuple: [ParamValue,ParamValue]; params: {'workspace': ParamValue,'post': ParamValue} }
    'targets.retry': { paramsTuple: [ParamValue,ParamValue,ParamValue]; params: {'workspace': ParamValue,'post': ParamValue,'target': ParamValue} }
    'targets.resolve': { paramsTuple: [ParamValue,ParamValue,ParamValue]; params: {'workspace': ParamValue,'post': ParamValue,'target': ParamValue} }
    'media.store': { paramsTuple: [ParamValue]; params: {'workspace': ParamValue} }
    'ai.text.store': { paramsTuple: [ParamValue]; params: {'workspace': ParamValue} }
    'ai.images.store': { paramsTuple: [ParamValue]; params: {'workspace': ParamValue} }
    'setup.store': { paramsTuple?: []; params?: {} }
    'session.store': { paramsTuple?: []; params?: {} }
    'session.destroy': { paramsTuple?: []; params?: {} }
    'workspaces.store': { paramsTuple?: []; params?: {} }
    'workspaces.archive': { paramsTuple: [ParamValue]; params: {'workspace': ParamValue} }
    'workspaces.restore': { paramsTuple: [ParamValue]; params: {'workspace': ParamValue} }
    'members.store': { paramsTuple: [ParamValue]; params: {'workspace': ParamValue} }
    'admin.users.store': { paramsTuple?: []; params?: {} }
    'admin.users.deactivate': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'admin.users.activate': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'admin.queues': { paramsTuple?: []; params?: {} }
    'admin.queues.any': { paramsTuple: [...ParamValue[]]; params: {'*': ParamValue[]} }
  }
  DELETE: {
    'accounts.destroy': { paramsTuple: [ParamValue,ParamValue]; params: {'workspace': ParamValue,'id': ParamValue} }
    'posts.destroy': { paramsTuple: [ParamValue,ParamValue]; params: {'workspace': ParamValue,'post': ParamValue} }
    'posts.unschedule': { paramsTuple: [ParamValue,ParamValue]; params: {'workspace': ParamValue,'post': ParamValue} }
    'media.destroy': { paramsTuple: [ParamValue,ParamValue]; params: {'workspace': ParamValue,'media': ParamValue} }
    'members.destroy': { paramsTuple: [ParamValue,ParamValue]; params: {'workspace': ParamValue,'membership': ParamValue} }
    'admin.queues': { paramsTuple?: []; params?: {} }
    'admin.queues.any': { paramsTuple: [...ParamValue[]]; params: {'*': ParamValue[]} }
  }
  PUT: {
    'posts.update': { paramsTuple: [ParamValue,ParamValue]; params: {'workspace': ParamValue,'post': ParamValue} }
    'posts.reschedule': { paramsTuple: [ParamValue,ParamValue]; params: {'workspace': ParamValue,'post': ParamValue} }
    'media.update': { paramsTuple: [ParamValue,ParamValue]; params: {'workspace': ParamValue,'media': ParamValue} }
    'usage.budget': { paramsTuple: [ParamValue]; params: {'workspace': ParamValue} }
    'calendar.move': { paramsTuple: [ParamValue,ParamValue]; params: {'workspace': ParamValue,'post': ParamValue} }
    'workspaces.update': { paramsTuple: [ParamValue]; params: {'workspace': ParamValue} }
    'members.update': { paramsTuple: [ParamValue,ParamValue]; params: {'workspace': ParamValue,'membership': ParamValue} }
    'admin.users.password': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
    'admin.queues': { paramsTuple?: []; params?: {} }
    'admin.queues.any': { paramsTuple: [...ParamValue[]]; params: {'*': ParamValue[]} }
    'admin.plugins.update': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
  }
  OPTIONS: {
    'admin.queues': { paramsTuple?: []; params?: {} }
    'admin.queues.any': { paramsTuple: [...ParamValue[]]; params: {'*': ParamValue[]} }
  }
  PATCH: {
    'admin.queues': { paramsTuple?: []; params?: {} }
    'admin.queues.any': { paramsTuple: [...ParamValue[]]; params: {'*': ParamValue[]} }
  }
}
declare module '@adonisjs/core/types/http' {
  export interface RoutesList extends ScannedRoutes {}
}