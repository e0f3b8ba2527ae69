import '@adonisjs/core/types/http'

type ParamValue = string | number | bigint | boolean

export type ScannedRoutes = {
  ALL: {
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
  }
  GET: {
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
  }
  HEAD: {
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
  }
  POST: {
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
  }
  PUT: {
    'workspaces.update': { paramsTuple: [ParamValue]; params: {'workspace': ParamValue} }
    'members.update': { paramsTuple: [ParamValue,ParamValue]; params: {'workspace': ParamValue,'membership': ParamValue} }
    'admin.users.password': { paramsTuple: [ParamValue]; params: {'id': ParamValue} }
  }
  DELETE: {
    'members.destroy': { paramsTuple: [ParamValue,ParamValue]; params: {'workspace': ParamValue,'membership': ParamValue} }
  }
}
declare module '@adonisjs/core/types/http' {
  export interface RoutesList extends ScannedRoutes {}
}